// The outside no-harm sets (docs/design.md#outside-data): bug-free outside functions and whole
// files that no other outside example was made from, so nothing was ever tuned on them. Python
// compiles each; a fix must give each back unchanged (class no_bug).
import { MAX_FILE_LINES } from '../model';
import { splitLines } from '../model/internals';
import type { Example } from './examples';
import { MIN_FILE_LINES, type OutsideFile, type OutsideFunction } from './outside';
import { takeChecked, shuffled, type RefusedBy } from './outside-checked';
import { outsideHalf } from './outside-half';

export interface NoHarmOptions {
  seed: number;
  functions: number;
  files: number;
}

export interface NoHarmSet {
  functions: Example[];
  files: Example[];
  /** Files of `files` that hold a function another outside example was made from (there are too few that hold none). */
  filesHoldingUsed: number;
}

const unchanged = (text: string, source: string): Example => ({
  task: 'fix',
  input: text,
  target: text,
  class: 'no_bug',
  fields: { half: outsideHalf(source), source },
});

/**
 * Functions whose keys and files whose paths are not excluded (every other outside example's), of
 * files not excluded either, that Python compiles.
 */
export function buildNoHarmSet(
  files: readonly OutsideFile[],
  functions: readonly OutsideFunction[],
  exclude: { keys: ReadonlySet<string>; paths: ReadonlySet<string> },
  options: NoHarmOptions,
  refuses: RefusedBy,
): NoHarmSet {
  const freeFiles = files.filter((f) => !exclude.paths.has(f.path));
  const eligible = freeFiles.filter((f) => {
    const lines = splitLines(f.text).length;
    return lines >= MIN_FILE_LINES && lines <= MAX_FILE_LINES;
  });
  // Files none of whose functions another example was made from first, then the others.
  const usedPaths = new Set([...exclude.keys].map((key) => key.replace(/:\d+$/, '')));
  const order = shuffled(eligible, options.seed, 'outside-no-harm-files');
  const wholeFiles = takeChecked(
    [...order.filter((f) => !usedPaths.has(f.path)), ...order.filter((f) => usedPaths.has(f.path))],
    0,
    options.files,
    (file) => ({ texts: [file.text], keep: ([refused]) => (refused ? null : file) }),
    refuses,
  ).kept;
  // The functions come from other files, so the two sets share nothing.
  const wholePaths = new Set(wholeFiles.map((f) => f.path));
  const freePaths = new Set(freeFiles.filter((f) => !wholePaths.has(f.path)).map((f) => f.path));
  const pool = shuffled(
    functions.filter((fn) => freePaths.has(fn.path) && !exclude.keys.has(fn.key)),
    options.seed,
    'outside-no-harm-order',
  );
  const compiles = (fn: OutsideFunction) => ({
    texts: [fn.text],
    keep: ([refused]: readonly boolean[]) => (refused ? null : fn),
  });
  const chosen = takeChecked(pool, 0, options.functions, compiles, refuses).kept;
  return {
    functions: chosen.map((fn) => unchanged(fn.text, fn.key)),
    files: wholeFiles.map((file) => unchanged(file.text, file.path)),
    filesHoldingUsed: wholeFiles.filter((f) => usedPaths.has(f.path)).length,
  };
}
