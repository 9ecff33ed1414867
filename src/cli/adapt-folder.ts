// The files of a folder as an adaptation lists them (src/data/adapt-files.ts): skipped folders are
// not entered, symbolic links are not followed, and only the chosen .py files are read.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPT_SKIPPED_DIRS, type FileContents, type ListedFile } from '../data/adapt-files';

export interface ListedFolder {
  files: ListedFile[];
  /** Folders not entered: hidden, ADAPT_SKIPPED_DIRS, or symbolic links. */
  skippedFolders: string[];
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a broken link
  }
}

export function listFolder(root: string): ListedFolder {
  const files: ListedFile[] = [];
  const skippedFolders: string[] = [];
  const walk = (relative: string) => {
    const entries = readdirSync(relative === '' ? root : join(root, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || ADAPT_SKIPPED_DIRS.includes(entry.name)) skippedFolders.push(path);
        else walk(path);
      } else if (entry.isSymbolicLink()) {
        // A link to a folder is not entered; a link to a file is listed so its skip is counted.
        if (entry.name.endsWith('.py')) files.push({ path, size: 0, symlink: true });
        else if (isFolder(join(root, path))) skippedFolders.push(path);
      } else if (entry.isFile()) {
        files.push({ path, size: entry.name.endsWith('.py') ? lstatSync(join(root, path)).size : 0 });
      }
    }
  };
  walk('');
  return { files, skippedFolders };
}

export function readFolderFile(root: string, path: string): FileContents {
  const bytes = readFileSync(join(root, path));
  return { path, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
