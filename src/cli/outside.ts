// `dataset --outside`: the outside measuring set from installed third-party packages (see
// src/data/outside.ts). Measurement only: nothing here may ever reach a training split.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonl } from '../data/jsonl';
import { buildOutsideSet, MIN_FILE_LINES, type OutsideFile } from '../data/outside';
import { OUTSIDE_PACKAGES, pinnedRequirement } from '../data/outside-packages';
import { findPythonFiles } from '../data/python-files';
import { locatePythonPackages } from './python-packages';

export function buildOutside(
  out: string,
  seed: number,
  perClass: number,
  files: number,
  log: (line: string) => void,
): string {
  const { packages } = locatePythonPackages(OUTSIDE_PACKAGES);
  const sources: OutsideFile[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const pkg of packages) {
    if (pkg.path === null) {
      log(
        `warning: package ${pkg.importName} is not installed; the set is built without it (pip install ${pinnedRequirement(pkg)}, or run scripts/setup-test-env.sh)`,
      );
      continue;
    }
    if (pkg.installed !== pkg.version)
      log(`warning: ${pkg.distribution} ${pkg.installed} is installed, not the pinned ${pkg.version}: the set differs`);
    for (const file of findPythonFiles(pkg.path, (path) => readdirSync(path, { withFileTypes: true }))) {
      try {
        sources.push({ path: `${pkg.importName}/${file}`, text: decoder.decode(readFileSync(join(pkg.path, file))) });
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
    packages: packages.map((p) => ({ name: p.importName, version: p.installed, installed: p.path !== null })),
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
