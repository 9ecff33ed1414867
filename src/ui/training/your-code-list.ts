// "Your code": from what the browser hands over (the files of an <input webkitdirectory>, or a walk
// of a File System Access API folder) to the files to read, with the same skip rules as
// `npm run cli -- adapt` (selectFiles, src/data/adapt-files.ts). Pure: no DOM, unit-tested.
import { ADAPT_SKIPPED_DIRS, selectFiles, type ListedFile, type Selection } from '../../data/adapt-files';
import type { AdaptSource } from '../../worker/training-protocol';

/** A folder or files chosen and read, as the form keeps them and the worker gets them. */
export type ChosenCode = Omit<AdaptSource, 'kind' | 'perClass'>;

/** What a picked folder or file list is called in the page and in refusals when no folder was picked. */
export const CHOSEN_FILES = 'the chosen files';

export interface ListedEntry<T> extends ListedFile {
  /** The browser's handle on the file (a File, a FileSystemFileHandle), read only if chosen. */
  source: T;
}

/**
 * Paths inside the chosen folder: webkitRelativePath starts with the folder's own name, which is
 * taken off (a folder that is itself hidden is still read) and returned as `where`.
 */
export function relativeToFolder(paths: readonly string[]): { where: string; paths: string[] } {
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')));
  if (tops.size !== 1 || tops.has('')) return { where: CHOSEN_FILES, paths: [...paths] };
  const [top] = [...tops];
  return { where: top!, paths: paths.map((p) => p.slice(top!.length + 1)) };
}

/** A folder the walk does not enter: hidden, or one of ADAPT_SKIPPED_DIRS. */
export function isSkippedFolderName(name: string): boolean {
  return (name.startsWith('.') && name !== '.' && name !== '..') || ADAPT_SKIPPED_DIRS.includes(name);
}

/** The files to read, in path order, and the entries they come from. */
export function chooseEntries<T>(entries: readonly ListedEntry<T>[]): { selection: Selection; chosen: ListedEntry<T>[] } {
  const selection = selectFiles(entries);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  return { selection, chosen: selection.read.map((path) => byPath.get(path)!) };
}
