// `dataset --outside`: the outside measuring set from installed third-party packages (see
// src/data/outside.ts). Measurement only: nothing here may ever reach a training split.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Example } from '../data/examples';
import { toJsonl } from '../data/jsonl';
import {
  buildOutsideSet,
  MIN_FILE_LINES,
  normalizeOutsideFiles,
  outsideFunctions,
  type OutsideFile,
} from '../data/outside';
import { buildGenericSet, MIN_FILE_MUTATION_LINE } from '../data/outside-generic';
import { outsideHalf } from '../data/outside-half';
import { buildNoHarmSet } from '../data/outside-no-harm';
import { OUTSIDE_PACKAGES, pinnedRequirement } from '../data/outside-packages';
import { findPythonFiles } from '../data/python-files';
import { compileWithPython } from './python-compile';
import { locatePythonPackages } from './python-packages';

/** Generic lines per mutation kind and size (4 kinds × 2 sizes). */
export const GENERIC_PER_CELL = 100;
/** Whole files with one generic edit past line MIN_FILE_MUTATION_LINE. */
export const GENERIC_FILES = 100;
/** Bug-free functions no other outside example was made from. */
export const NO_HARM_FUNCTIONS = 400;
/** Bug-free whole files no other outside example was made from. */
export const NO_HARM_FILES = 100;

/** Python's verdict on each text, from one python3 process per call: true where it refuses. */
const refusedByPython = (texts: readonly string[]): boolean[] => compileWithPython(texts).labels.map((l) => !l.ok);

/** The examples with a field added to each (half, source: the files above stay as they were written). */
const withFields = (examples: readonly Example[], fields: (i: number) => Record<string, unknown>): Example[] =>
  examples.map((e, i) => ({ ...e, fields: { ...e.fields, ...fields(i) } }));

/** How many lines have each value of a field. */
function countBy(examples: readonly Example[], field: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of examples) {
    const value = String(e.fields?.[field]);
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

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
  // The same lines with their half and source, for `eval --where half=report`.
  const sourceFields = (source: string) => ({ half: outsideHalf(source), source });
  writeFileSync(
    join(dir, 'functions_labelled.jsonl'),
    toJsonl(withFields(set.functions, (i) => sourceFields(set.functionSources[i]!))),
  );
  writeFileSync(
    join(dir, 'files_labelled.jsonl'),
    toJsonl(withFields(set.files, (i) => sourceFields(set.filePaths[i]!))),
  );
  writeFileSync(
    join(dir, 'file_functions_labelled.jsonl'),
    toJsonl(withFields(set.fileFunctions, (i) => sourceFields(set.filePaths[i]!))),
  );

  const normalized = normalizeOutsideFiles(sources);
  const functions = outsideFunctions(normalized);
  log(`drawing generic edits and no-harm texts from ${functions.length} functions, judged by Python's compile()`);
  const generic = buildGenericSet(
    normalized,
    functions,
    { keys: set.usedKeys, paths: new Set(set.filePaths) },
    { seed, perCell: GENERIC_PER_CELL, files: GENERIC_FILES },
    refusedByPython,
  );
  const noHarm = buildNoHarmSet(
    normalized,
    functions,
    { keys: new Set([...set.usedKeys, ...generic.usedKeys]), paths: new Set([...set.filePaths, ...generic.usedPaths]) },
    { seed, functions: NO_HARM_FUNCTIONS, files: NO_HARM_FILES },
    refusedByPython,
  );
  writeFileSync(join(dir, 'generic.jsonl'), toJsonl(generic.generic));
  writeFileSync(join(dir, 'generic_files.jsonl'), toJsonl(generic.files));
  writeFileSync(join(dir, 'generic_file_functions.jsonl'), toJsonl(generic.fileFunctions));
  writeFileSync(join(dir, 'no_harm.jsonl'), toJsonl(noHarm.functions));
  writeFileSync(join(dir, 'no_harm_files.jsonl'), toJsonl(noHarm.files));
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
    functions_by_half: countBy(
      withFields(set.functions, (i) => sourceFields(set.functionSources[i]!)),
      'half',
    ),
    generic: {
      count: generic.generic.length,
      by_kind: countBy(generic.generic, 'kind'),
      by_size: countBy(generic.generic, 'size'),
      by_recoverable: countBy(generic.generic, 'recoverable'),
      by_half: countBy(generic.generic, 'half'),
    },
    generic_files: {
      count: generic.files.length,
      min_mutation_line: MIN_FILE_MUTATION_LINE + 1,
      by_kind: countBy(generic.files, 'kind'),
      by_half: countBy(generic.files, 'half'),
    },
    no_harm: { count: noHarm.functions.length, by_half: countBy(noHarm.functions, 'half') },
    no_harm_files: {
      count: noHarm.files.length,
      by_half: countBy(noHarm.files, 'half'),
      holding_functions_of_other_sets: noHarm.filesHoldingUsed,
    },
  };
  writeFileSync(join(dir, 'outside_stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
  return (
    `wrote ${dir}/functions.jsonl (${set.functions.length}: ${Object.entries(set.byClass)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}), ` +
    `files.jsonl (${set.files.length}), file_functions.jsonl (the same bugs in their functions alone), complete.jsonl (${set.complete.length} next lines), generate.jsonl (${set.generate.length} documented functions), ` +
    `{functions,files,file_functions}_labelled.jsonl (the same with half and source), ` +
    `generic.jsonl (${generic.generic.length} one- and two-token edits Python refuses), generic_files.jsonl (${generic.files.length}) and generic_file_functions.jsonl, ` +
    `no_harm.jsonl (${noHarm.functions.length} bug-free functions), no_harm_files.jsonl (${noHarm.files.length} bug-free files), outside_stats.json\n`
  );
}
