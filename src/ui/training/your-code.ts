// "Your code" in the page: lists a chosen folder (the File System Access API's showDirectoryPicker
// where the browser has it, the files of an <input webkitdirectory> otherwise) or chosen files,
// applies the skip rules, and reads the chosen .py files as text for the training worker, which
// checks, splits and measures them. Skipped folders are not walked into; reading awaits each file,
// so a folder of thousands of files never holds the page.
import { chooseEntries, isSkippedFolderName, relativeToFolder, type ChosenCode, type ListedEntry } from './your-code-list';

/** What is read of a File: its name, size, path in a folder upload and text (structural: unit-testable without a DOM). */
export interface ChosenFile {
  name: string;
  size: number;
  webkitRelativePath?: string;
  text(): Promise<string>;
}

/** The File System Access API's handles, as far as the walk uses them. */
export interface FileHandleLike {
  kind: 'file';
  name: string;
  getFile(): Promise<ChosenFile>;
}
export interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<FileHandleLike | DirectoryHandleLike>;
}

/** The File System Access API's folder picker, where the browser has it. */
type DirectoryPicker = (options?: { mode?: 'read' }) => Promise<DirectoryHandleLike>;

export function directoryPicker(): DirectoryPicker | null {
  const picker = (globalThis as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(globalThis) : null;
}

export type ReadProgress = (read: number, total: number) => void;

async function readChosen<T>(
  entries: ListedEntry<T>[],
  where: string,
  skippedFolders: string[],
  text: (source: T) => Promise<string>,
  onProgress: ReadProgress,
): Promise<ChosenCode> {
  const { selection, chosen } = chooseEntries(entries);
  const files = [];
  for (const entry of chosen) {
    files.push({ name: entry.path, text: await text(entry.source) });
    onProgress(files.length, chosen.length);
  }
  return { files, where, listed: entries.length, skipped: selection.skipped, skippedFolders, notPython: selection.notPython };
}

/** The files of an <input type=file> (a folder's, with their paths, or single files). */
export async function readFileList(list: ArrayLike<ChosenFile> | null, onProgress: ReadProgress): Promise<ChosenCode> {
  const all = Array.from(list ?? []);
  const { where, paths } = relativeToFolder(all.map((f) => f.webkitRelativePath || f.name));
  const entries = all.map((file, i) => ({ path: paths[i]!, size: file.size, source: file }));
  return readChosen(entries, where, [], (file) => file.text(), onProgress);
}

/** Walks a folder handle, skipped folders left out (named in `skippedFolders`), then reads the chosen files. */
export async function readDirectory(root: DirectoryHandleLike, onProgress: ReadProgress, onListed?: (n: number) => void): Promise<ChosenCode> {
  const entries: ListedEntry<ChosenFile>[] = [];
  const skippedFolders: string[] = [];
  const walk = async (dir: DirectoryHandleLike, prefix: string): Promise<void> => {
    for await (const handle of dir.values()) {
      const path = `${prefix}${handle.name}`;
      if (handle.kind === 'directory') {
        if (isSkippedFolderName(handle.name)) skippedFolders.push(path);
        else await walk(handle, `${path}/`);
      } else {
        const file = await handle.getFile();
        entries.push({ path, size: file.size, source: file });
        onListed?.(entries.length);
      }
    }
  };
  await walk(root, '');
  return readChosen(entries, root.name, skippedFolders.sort(), (file) => file.text(), onProgress);
}
