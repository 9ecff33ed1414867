// Which of a user's files an adaptation reads ("Adapt to your code"), shared by `npm run cli -- adapt`
// and the page: the folders skipped, the limits on size and count, then each file read as Python or
// skipped with its reason. Pure: the caller walks its folder (Node's fs, the File System Access API,
// `<input webkitdirectory>`) and hands over paths, sizes and bytes; nothing here reads a disk.
import { checkPythonSyntax } from '../model';

/** Folders never read: hidden ones (a leading dot) too, see skippedFolderOf. */
export const ADAPT_SKIPPED_DIRS: readonly string[] = [
  '.venv',
  'venv',
  'site-packages',
  'node_modules',
  '__pycache__',
  'build',
  'dist',
];
/** A bigger file is skipped: generated code or data, not the user's style. */
export const ADAPT_MAX_FILE_BYTES = 1_000_000;
/** Python files read at most; the ones after, in path order, are skipped. */
export const ADAPT_MAX_FILES = 5_000;

/** Thrown when the files cannot make an adaptation; the message says why, with the counts. */
export class AdaptRefusal extends Error {
  override name = 'AdaptRefusal';
}

/** Why a file is not read. */
export type SkipReason = 'skipped_folder' | 'symlink' | 'too_big' | 'over_file_limit' | 'not_utf8' | 'binary' | 'does_not_compile';

export const SKIP_REASON_WORDS: Readonly<Record<SkipReason, string>> = {
  skipped_folder: `in a skipped folder (hidden, ${ADAPT_SKIPPED_DIRS.join(', ')})`,
  symlink: 'a symbolic link',
  too_big: `over ${ADAPT_MAX_FILE_BYTES / 1_000_000} MB`,
  over_file_limit: `past the first ${ADAPT_MAX_FILES} Python files`,
  not_utf8: 'not UTF-8 text',
  binary: 'binary (holds a NUL byte)',
  does_not_compile: 'does not compile',
};

export interface SkippedFile {
  path: string;
  reason: SkipReason;
}

/** A folder entry as the caller lists it, before reading it. */
export interface ListedFile {
  /** Relative to the chosen folder, '/'-separated. */
  path: string;
  size: number;
  symlink?: boolean;
}

/** The folder name of `path` that makes it skipped (hidden or listed), or null. */
export function skippedFolderOf(path: string): string | null {
  const folders = path.split('/').slice(0, -1);
  return folders.find((name) => (name.startsWith('.') && name !== '.' && name !== '..') || ADAPT_SKIPPED_DIRS.includes(name)) ?? null;
}

export interface Selection {
  /** The .py files to read, in path order. */
  read: string[];
  skipped: SkippedFile[];
  /** Files that are not .py (not read, not listed one by one). */
  notPython: number;
}

/**
 * The .py files to read, before any is opened: skipped folders, symbolic links, files over
 * ADAPT_MAX_FILE_BYTES and those past the first ADAPT_MAX_FILES are left out, each with its reason.
 */
export function selectFiles(listed: readonly ListedFile[]): Selection {
  const skipped: SkippedFile[] = [];
  const read: string[] = [];
  let notPython = 0;
  for (const file of [...listed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!file.path.endsWith('.py')) notPython += 1;
    else if (skippedFolderOf(file.path) !== null) skipped.push({ path: file.path, reason: 'skipped_folder' });
    else if (file.symlink) skipped.push({ path: file.path, reason: 'symlink' });
    else if (file.size > ADAPT_MAX_FILE_BYTES) skipped.push({ path: file.path, reason: 'too_big' });
    else if (read.length >= ADAPT_MAX_FILES) skipped.push({ path: file.path, reason: 'over_file_limit' });
    else read.push(file.path);
  }
  return { read, skipped, notPython };
}

/** A file's contents: bytes (Node, File.arrayBuffer()), or text already decoded (File.text()). */
export type FileContents = { path: string; bytes: Uint8Array } | { path: string; text: string };

export interface PythonFile {
  path: string;
  /** Line breaks normalized to '\n'. */
  text: string;
}

/**
 * The text of a Python file, or why it is skipped: not UTF-8 (a lenient decoder's U+FFFD counts),
 * binary, or code Python would not compile.
 */
export function readPythonFile(file: FileContents): PythonFile | SkippedFile {
  let text: string;
  if ('bytes' in file) {
    if (file.bytes.includes(0)) return { path: file.path, reason: 'binary' };
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
    } catch {
      return { path: file.path, reason: 'not_utf8' };
    }
  } else {
    if (file.text.includes('\u0000')) return { path: file.path, reason: 'binary' };
    if (file.text.includes('\uFFFD')) return { path: file.path, reason: 'not_utf8' };
    text = file.text;
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!checkPythonSyntax(text).ok) return { path: file.path, reason: 'does_not_compile' };
  return { path: file.path, text };
}

export function isSkipped(result: PythonFile | SkippedFile): result is SkippedFile {
  return 'reason' in result;
}

/** Skipped files counted by reason, every reason present (0 when none). */
export function countSkipped(skipped: readonly SkippedFile[]): Record<SkipReason, number> {
  const counts = Object.fromEntries(Object.keys(SKIP_REASON_WORDS).map((r) => [r, 0])) as Record<SkipReason, number>;
  for (const s of skipped) counts[s.reason] += 1;
  return counts;
}

/** "3 not UTF-8 text, 1 does not compile": the reasons that occur, in words. */
export function describeSkipped(skipped: readonly SkippedFile[]): string {
  const counts = countSkipped(skipped);
  const parts = (Object.keys(counts) as SkipReason[]).filter((r) => counts[r] > 0).map((r) => `${counts[r]} ${SKIP_REASON_WORDS[r]}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/**
 * Throws AdaptRefusal when nothing can be adapted on: no .py file at all, or none that reads.
 * `where` names the source in the message (a folder, "the chosen files").
 */
export function refuseUnreadable(where: string, listed: number, selection: Selection, files: readonly PythonFile[], skipped: readonly SkippedFile[]): void {
  const looked = `${listed} file${listed === 1 ? '' : 's'} looked at`;
  if (selection.read.length === 0 && selection.skipped.length === 0)
    throw new AdaptRefusal(`no Python file in ${where} (${looked}): choose a folder that holds .py files`);
  if (files.length === 0) throw new AdaptRefusal(`no Python file in ${where} could be read (${looked}); skipped: ${describeSkipped(skipped)}`);
}
