// `dataset --outside`: the outside measuring set from installed third-party packages (see
// src/data/outside.ts). Measurement only: nothing here may ever reach a training split.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonl } from '../data/jsonl';
import { buildOutsideSet, MIN_FILE_LINES, type OutsideFile } from '../data/outside';
import { findPythonFiles } from './dataset';

/** The pinned packages of the outside set (import names). */
export const OUTSIDE_PACKAGES: readonly string[] = [
  '_pytest',
  'hypothesis',
  'IPython',
  'jedi',
  'parso',
  'prompt_toolkit',
  'flask',
  'click',
  'jinja2',
  'networkx',
];

interface PackageInfo {
  name: string;
  /** Folder of the package, or null when python3 cannot import it. */
  path: string | null;
  version: string | null;
}

/** Where python3 finds each package and its distribution version. */
function locatePackages(names: readonly string[]): PackageInfo[] {
  const script = `
import importlib.util, importlib.metadata, json, sys
dists = importlib.metadata.packages_distributions()
out = []
for name in sys.argv[1:]:
    spec = importlib.util.find_spec(name)
    path = list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else None
    version = None
    for dist in dists.get(name, []):
        try: version = importlib.metadata.version(dist); break
        except Exception: pass
    out.append({"name": name, "path": path, "version": version})
print(json.dumps(out))`;
  const result = spawnSync('python3', ['-c', script, ...names], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `could not ask python3 where the outside packages are (${result.error?.message ?? result.stderr.trim()})`,
    );
  return JSON.parse(result.stdout) as PackageInfo[];
}

export function buildOutside(
  out: string,
  seed: number,
  perClass: number,
  files: number,
  log: (line: string) => void,
): string {
  const packages = locatePackages(OUTSIDE_PACKAGES);
  const sources: OutsideFile[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const pkg of packages) {
    if (pkg.path === null) {
      log(`warning: package ${pkg.name} is not installed; the set is built without it (pip install it to include it)`);
      continue;
    }
    for (const file of findPythonFiles(pkg.path)) {
      try {
        sources.push({ path: `${pkg.name}/${file}`, text: decoder.decode(readFileSync(join(pkg.path, file))) });
      } catch {
        // not UTF-8: not measurable text
      }
    }
  }
  log(`read ${sources.length} .py files from ${packages.filter((p) => p.path).length} packages`);
  const set = buildOutsideSet(sources, { seed, perClass, files });
  const dir = join(out, 'outside');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'functions.jsonl'), toJsonl(set.functions));
  writeFileSync(join(dir, 'files.jsonl'), toJsonl(set.files));
  writeFileSync(join(dir, 'file_functions.jsonl'), toJsonl(set.fileFunctions));
  writeFileSync(join(dir, 'complete.jsonl'), toJsonl(set.complete));
  writeFileSync(join(dir, 'generate.jsonl'), toJsonl(set.generate));
  const lines = (text: string) => text.split('\n').length;
  const stats = {
    format: 'lstm-coding-optimizer-outside-stats',
    purpose: 'outside measurement only; never train on it',
    seed,
    per_class: perClass,
    min_file_lines: MIN_FILE_LINES,
    packages: packages.map((p) => ({ name: p.name, version: p.version, installed: p.path !== null })),
    files_read: sources.length,
    functions: {
      count: set.functions.length,
      by_class: set.byClass,
      max_lines: Math.max(...set.functions.map((e) => lines(e.input))),
    },
    files: { count: set.files.length, max_lines: Math.max(0, ...set.files.map((e) => lines(e.input))) },
    complete: { count: set.complete.length },
    generate: { count: set.generate.length },
  };
  writeFileSync(join(dir, 'outside_stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
  return (
    `wrote ${dir}/functions.jsonl (${set.functions.length}: ${Object.entries(set.byClass)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}), ` +
    `files.jsonl (${set.files.length}), file_functions.jsonl (the same bugs in their functions alone), complete.jsonl (${set.complete.length} next lines), generate.jsonl (${set.generate.length} documented functions), outside_stats.json\n`
  );
}
