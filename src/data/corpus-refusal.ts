// Which sources the PyPI corpus refuses (`npm run cli -- corpus`): code this machine already runs
// or measures with must never be trained on, or figures measured on it would flatter the model.
// Pure: the command line lists the installed folders (dist-packages, site-packages, their vendor
// folders) and passes the listings in.
import type { OutsidePackage } from './outside-packages';
import type { FolderEntry } from './python-files';

/** Folders of copied third-party code inside a package. */
export const VENDOR_DIRS: readonly string[] = ['_vendor', 'vendor'];

/** Folders whose files the corpus never reads: vendored copies and test suites. */
export const REFUSED_FILE_DIRS: readonly string[] = [...VENDOR_DIRS, 'test', 'tests'];

/** Where Python modules end in an installed folder (a module's name is what comes before the first dot). */
const MODULE_SUFFIXES = ['.py', '.pyi', '.so', '.pyd'];

/** A folder of installed packages: dist-packages, site-packages, or a vendor folder inside one. */
export interface InstalledFolder {
  path: string;
  entries: readonly FolderEntry[];
}

/** A refused name (normalized) and why, e.g. `a top-level package of /usr/lib/python3/dist-packages`. */
export type RefusedNames = ReadonlyMap<string, string>;

/** PEP 503's normalized name: `Typing_Extensions` and `typing-extensions` are one package. */
export function normalizePackageName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * The name a folder entry installs: a package folder, a module file (`six.py`, `_yaml.cpython-311-….so`)
 * or an installed distribution's metadata folder (`PyYAML-6.0.1.dist-info`). Undefined for the rest.
 */
export function installedName(entry: FolderEntry): string | undefined {
  if (entry.isDirectory()) {
    const metadata = /^([^-]+)-.*\.(dist|egg)-info$/.exec(entry.name);
    if (metadata) return metadata[1];
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.name) && entry.name !== '__pycache__' ? entry.name : undefined;
  }
  if (!entry.isFile() || !MODULE_SUFFIXES.some((suffix) => entry.name.endsWith(suffix))) return undefined;
  const name = entry.name.split('.')[0]!;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== '__init__' ? name : undefined;
}

/** Every refused name with its reason: what the folders install, and the outside packages. */
export function refusedNames(folders: readonly InstalledFolder[], outside: readonly OutsidePackage[]): RefusedNames {
  const refused = new Map<string, string>();
  for (const pkg of outside)
    for (const name of [pkg.importName, pkg.distribution])
      refused.set(normalizePackageName(name), 'an outside package (src/data/outside-packages.ts), measured on only');
  for (const folder of folders) {
    for (const entry of folder.entries) {
      const name = installedName(entry);
      const key = name === undefined ? undefined : normalizePackageName(name);
      if (key !== undefined && !refused.has(key)) refused.set(key, `installed in ${folder.path}`);
    }
  }
  return refused;
}

/** Why a package is refused (its distribution name or one of its import names), or undefined. */
export function packageRefusal(
  distribution: string,
  importNames: readonly string[],
  refused: RefusedNames,
): string | undefined {
  for (const name of [distribution, ...importNames]) {
    const reason = refused.get(normalizePackageName(name));
    if (reason !== undefined) return `"${name}" is ${reason}`;
  }
  return undefined;
}

/** The refused folder a file lies under (`pkg/_vendor/x.py` → `_vendor`), or undefined. */
export function refusedFileDir(path: string): string | undefined {
  return path
    .split('/')
    .slice(0, -1)
    .find((dir) => REFUSED_FILE_DIRS.includes(dir));
}
