// The repository's own text, for the tests that check what it says: every design link resolves,
// and no line reads as a lab notebook. Walks the folders a reader meets, skipping build output,
// caches and binary files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

/** What the checks read: the code, its tests, its docs and the shipped config. */
export const CHECKED_PATHS: readonly string[] = [
  'src',
  'dev',
  'docs',
  'trainer',
  'training',
  'scripts',
  'tests',
  'e2e',
  'README.md',
  'public/models/model_config.toml',
];

/** Folders that hold output or installed code, never the repository's own text. */
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', 'screenshots', 'dist', 'build']);
/** Bytes the checks cannot read as text. */
const BINARY_EXTENSIONS = /\.(bin|pt|pyc|png|jpe?g|gif|ico|wasm|svg|gz|tgz)$/i;

export interface TextFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

function walk(path: string, out: string[]): void {
  const name = path.split(/[\\/]/).pop() ?? '';
  if (statSync(path).isDirectory()) {
    if (name.startsWith('.') || SKIPPED_FOLDERS.has(name)) return;
    for (const entry of readdirSync(path).sort()) walk(join(path, entry), out);
  } else if (!BINARY_EXTENSIONS.test(name)) {
    out.push(path);
  }
}

/** Every text file under `paths` (relative to ROOT); a file holding NUL bytes is binary and left out. */
export function repositoryText(paths: readonly string[] = CHECKED_PATHS): TextFile[] {
  const files: string[] = [];
  for (const path of paths) walk(join(ROOT, path), files);
  return files
    .map((file) => ({ path: relative(ROOT, file).replaceAll('\\', '/'), text: readFileSync(file, 'utf8') }))
    .filter((file) => !file.text.includes('\0'));
}

/** Each line of `text` that `pattern` matches, numbered from 1. */
export function matchingLines(file: TextFile, pattern: RegExp): { path: string; line: number; text: string }[] {
  const flags = pattern.flags.replace('g', '');
  const single = new RegExp(pattern.source, flags);
  return file.text
    .split('\n')
    .map((text, i) => ({ path: file.path, line: i + 1, text }))
    .filter((entry) => single.test(entry.text));
}
