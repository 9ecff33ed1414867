// The data choice as the form holds it, its checks, and reading the user's files into texts (the
// worker gets texts, and the saved run keeps them, so a resume after a reload needs no file picker).
import type { DataOptions, DataSource, SourceFile } from '../../worker/training-protocol';
import type { ChosenCode } from './your-code-list';

export type { ChosenCode };

export type DataKind = DataSource['kind'];

export interface DataForm {
  kind: DataKind;
  functions: string;
  validationPercent: string;
  pythonFiles: SourceFile[];
  jsonlFiles: SourceFile[];
  /** Files passed over while reading (wrong type, too large, skipped folders). */
  passedOver: string[];
  /** "Your code": the folder or files chosen and read (your-code.ts), null before a choice. */
  code: ChosenCode | null;
  /** "Your code": held-out examples wanted per class. */
  perClass: string;
}

/** Held-out examples per class asked for by default, as `npm run cli -- adapt` (DEFAULT_HELDOUT_PER_CLASS). */
export const DEFAULT_PER_CLASS = '150';
const PER_CLASS_RANGE = { min: 1, max: 1000 };

export const DATA_KINDS: { value: DataKind; label: string }[] = [
  { value: 'builtin', label: 'Built-in generator' },
  { value: 'python', label: 'Python files (.py)' },
  { value: 'jsonl', label: 'JSONL pairs' },
  { value: 'adapt', label: 'Your code: adapt and measure' },
];

export const INITIAL_DATA_FORM: DataForm = { kind: 'builtin', functions: '600', validationPercent: '10', pythonFiles: [], jsonlFiles: [], passedOver: [], code: null, perClass: DEFAULT_PER_CLASS };

/** Folders inside a chosen folder that hold no code of the user's own. */
const SKIPPED_DIRS = new Set(['__pycache__', '.git', 'node_modules', 'site-packages', 'dist-packages', '.venv', 'venv', '.tox']);
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface DataFormErrors {
  functions?: string;
  validationPercent?: string;
  perClass?: string;
}

function intError(text: string, min: number, max: number): string | undefined {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) return 'enter a number';
  if (!Number.isInteger(value)) return 'must be a whole number';
  if (value < min || value > max) return `between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`;
  return undefined;
}

export function dataFormErrors(form: DataForm): DataFormErrors {
  const errors: DataFormErrors = {};
  if (form.kind === 'builtin') {
    const e = intError(form.functions, 20, 20_000);
    if (e) errors.functions = e;
  }
  if (form.kind === 'adapt') {
    const e = intError(form.perClass, PER_CLASS_RANGE.min, PER_CLASS_RANGE.max);
    if (e) errors.perClass = e;
  }
  const v = intError(form.validationPercent, 1, 50);
  if (v) errors.validationPercent = v;
  return errors;
}

/** The worker's options, or null while the form is incomplete (an error, no file chosen). */
export function dataOptionsFrom(form: DataForm, seed: number, maxTokens: number): DataOptions | null {
  if (Object.keys(dataFormErrors(form)).length > 0) return null;
  const validationPercent = Number(form.validationPercent);
  let source: DataSource;
  if (form.kind === 'builtin') source = { kind: 'builtin', functions: Number(form.functions) };
  else if (form.kind === 'adapt') {
    if (!form.code) return null;
    source = { kind: 'adapt', ...form.code, perClass: Number(form.perClass) };
  } else if (form.kind === 'python') {
    if (form.pythonFiles.length === 0) return null;
    source = { kind: 'python', files: form.pythonFiles };
  } else {
    if (form.jsonlFiles.length === 0) return null;
    source = { kind: 'jsonl', files: form.jsonlFiles };
  }
  return { source, validationPercent, seed, maxTokens };
}

/** Reads the chosen files (a folder's path kept as the name), passing over what is not wanted. */
export async function readChosenFiles(list: FileList | null, extensions: readonly string[]): Promise<{ files: SourceFile[]; passedOver: string[] }> {
  const files: SourceFile[] = [];
  const passedOver: string[] = [];
  for (const file of Array.from(list ?? [])) {
    const name = file.webkitRelativePath || file.name;
    const parts = name.split('/');
    if (parts.slice(0, -1).some((dir) => SKIPPED_DIRS.has(dir))) continue;
    if (!extensions.some((ext) => name.toLowerCase().endsWith(ext))) {
      if (!file.webkitRelativePath) passedOver.push(`${name}: not a ${extensions.join(' or ')} file`);
      continue;
    }
    if (file.size > MAX_FILE_BYTES) {
      passedOver.push(`${name}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
      continue;
    }
    if (files.length >= MAX_FILES) {
      passedOver.push(`${name} and the rest: more than ${MAX_FILES} files`);
      break;
    }
    files.push({ name, text: await file.text() });
  }
  return { files, passedOver };
}

