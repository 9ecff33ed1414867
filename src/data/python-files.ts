// Which .py files of a folder the data is read from: the rule shared by the `dataset` command and the
// outside measurements. Pure: the caller lists folders (Node's readdirSync in the command line).

/** Folders never read: installed packages, caches, and test suites (full of deliberately bad code). */
export const SKIPPED_DIRS: readonly string[] = [
  'site-packages',
  'dist-packages',
  '__pycache__',
  'test',
  'tests',
  'idle_test',
];

/** What findPythonFiles needs of a folder entry (Node's Dirent has it). */
export interface FolderEntry {
  name: string;
  isDirectory(): boolean;
  isFile(): boolean;
}

/** The entries of a folder, e.g. `(path) => readdirSync(path, { withFileTypes: true })`. */
export type ListFolder = (path: string) => readonly FolderEntry[];

/** Every .py file under dir (sorted by name at each level, relative paths with '/'), skipping SKIPPED_DIRS. */
export function findPythonFiles(dir: string, listFolder: ListFolder): string[] {
  const found: string[] = [];
  const walk = (relativeDir: string) => {
    const entries = [...listFolder(relativeDir === '' ? dir : `${dir}/${relativeDir}`)].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED_DIRS.includes(entry.name)) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.py')) found.push(path);
    }
  };
  walk('');
  return found;
}
