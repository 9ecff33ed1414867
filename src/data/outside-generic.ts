// The outside sets of slips no bug class names (docs/design.md#outside-data): one or two random
// token edits (src/data/mutate.ts: insert, delete, substitute, swap) of outside functions that
// Python refuses, the original being the target; and whole outside files with one such edit past
// line MIN_FILE_MUTATION_LINE, each beside the same edit in its function alone.
import { deriveSeed, Rng } from '../model';
import { MAX_FILE_LINES } from '../model';
import { splitLines } from '../model/internals';
import { differingLines } from './bugs';
import type { Example } from './examples';
import { MUTATION_KINDS, mutate, type Mutation, type MutationKind } from './mutate';
import { MIN_FILE_LINES, spliceFunctionBug, type OutsideFile, type OutsideFunction } from './outside';
import { takeChecked, shuffled, type RefusedBy } from './outside-checked';
import { outsideHalf } from './outside-half';

/** The class every generic line carries; its kind and size are fields of their own. */
export const GENERIC_CLASS = 'generic';
export const GENERIC_SIZES = [1, 2] as const;
/** A whole file's edit lies past this line, so the file is read beyond its first window. */
export const MIN_FILE_MUTATION_LINE = 100;
/** Functions of one file tried for its edit. */
const FILE_TRIES = 4;

export interface GenericOptions {
  seed: number;
  /** Lines per kind and size (8 cells). */
  perCell: number;
  /** Whole files. */
  files: number;
}

export interface GenericSet {
  /** Dealt round-robin over the cells (kind × size), so the first N lines hold a mix. */
  generic: Example[];
  files: Example[];
  /** files[i]'s edit in its function alone. */
  fileFunctions: Example[];
  /** The functions and files these examples were made from. */
  usedKeys: Set<string>;
  usedPaths: Set<string>;
}

/** What a generic line records beside the texts. */
function mutationFields(mutation: Mutation, source: string): Record<string, unknown> {
  return {
    kind: mutation.kind,
    size: mutation.size,
    recoverable: mutation.recoverable,
    half: outsideHalf(source),
    source,
    edits: mutation.edits.map((e) => ({ line: e.line, before: e.before, after: e.after })),
  };
}

const generic = (input: string, target: string, fields: Record<string, unknown>): Example => ({
  task: 'fix',
  input,
  target,
  class: GENERIC_CLASS,
  fields,
});

/**
 * Draws the generic functions and files from the outside functions and files no example has used
 * (`excludeKeys`, `excludePaths`), keeping only edits Python refuses of texts it accepts.
 */
export function buildGenericSet(
  files: readonly OutsideFile[],
  functions: readonly OutsideFunction[],
  exclude: { keys: ReadonlySet<string>; paths: ReadonlySet<string> },
  options: GenericOptions,
  refuses: RefusedBy,
): GenericSet {
  const usedKeys = new Set<string>();
  const pool = shuffled(
    functions.filter((fn) => !exclude.keys.has(fn.key)),
    options.seed,
    'outside-generic-order',
  );
  const cells = MUTATION_KINDS.flatMap((kind) => GENERIC_SIZES.map((size) => ({ kind, size })));
  const perCell: Example[][] = [];
  let next = 0;
  for (const { kind, size } of cells) {
    const taken = takeChecked(
      pool,
      next,
      options.perCell,
      (fn) => {
        const mutation = mutate(fn.text, new Rng(deriveSeed(options.seed, `outside-generic:${kind}:${size}:${fn.key}`)), {
          kind,
          size,
        });
        if (mutation === null) return null;
        return {
          texts: [fn.text, mutation.text],
          keep: ([original, mutant]) => (!original && mutant ? { fn, mutation } : null),
        };
      },
      refuses,
    );
    next = taken.next;
    for (const { fn } of taken.kept) usedKeys.add(fn.key);
    perCell.push(taken.kept.map(({ fn, mutation }) => generic(mutation.text, fn.text, mutationFields(mutation, fn.key))));
  }
  const interleaved: Example[] = [];
  for (let i = 0; i < options.perCell; i++) for (const cell of perCell) if (cell[i]) interleaved.push(cell[i]);

  const fileExclude = { keys: new Set([...exclude.keys, ...usedKeys]), paths: exclude.paths };
  const wholeFiles = buildGenericFiles(files, functions, fileExclude, options, refuses);
  for (const key of wholeFiles.usedKeys) usedKeys.add(key);
  return { generic: interleaved, files: wholeFiles.files, fileFunctions: wholeFiles.fileFunctions, usedKeys, usedPaths: wholeFiles.usedPaths };
}

function buildGenericFiles(
  files: readonly OutsideFile[],
  functions: readonly OutsideFunction[],
  exclude: { keys: ReadonlySet<string>; paths: ReadonlySet<string> },
  options: GenericOptions,
  refuses: RefusedBy,
): { files: Example[]; fileFunctions: Example[]; usedPaths: Set<string>; usedKeys: Set<string> } {
  const byPath = new Map<string, OutsideFunction[]>();
  for (const fn of functions) byPath.set(fn.path, [...(byPath.get(fn.path) ?? []), fn]);
  const eligible = files.filter((f) => {
    const lines = splitLines(f.text).length;
    return !exclude.paths.has(f.path) && lines >= MIN_FILE_LINES && lines <= MAX_FILE_LINES;
  });
  let drawn = 0;
  const { kept } = takeChecked(
    shuffled(eligible, options.seed, 'outside-generic-files'),
    0,
    options.files,
    (file) => {
      // The kinds in turn over the files drawn, so each kind has about a quarter.
      const kind: MutationKind = MUTATION_KINDS[drawn++ % MUTATION_KINDS.length]!;
      const rng = new Rng(deriveSeed(options.seed, `outside-generic-file:${file.path}`));
      const late = (byPath.get(file.path) ?? []).filter(
        (fn) => fn.startLine + splitLines(fn.text).length - 1 > MIN_FILE_MUTATION_LINE && !exclude.keys.has(fn.key),
      );
      const tries: { fn: OutsideFunction; mutation: Mutation; spliced: string }[] = [];
      for (const fn of shuffled(late, rng.nextInt(2 ** 30), 'functions').slice(0, FILE_TRIES)) {
        const mutation = mutate(fn.text, rng, { kind, size: 1 });
        if (mutation === null) continue;
        const changed = differingLines(fn.text, mutation.text);
        if (changed.length !== 1 || fn.startLine - 1 + changed[0]! <= MIN_FILE_MUTATION_LINE) continue;
        const spliced = spliceFunctionBug(file.text, fn.startLine, fn.text, mutation.text);
        if (spliced !== null) tries.push({ fn, mutation, spliced });
      }
      if (tries.length === 0) return null;
      return {
        texts: [file.text, ...tries.flatMap((t) => [t.fn.text, t.mutation.text, t.spliced])],
        keep: ([fileRefused, ...rest]) => {
          if (fileRefused) return null;
          const at = tries.findIndex((_, i) => !rest[3 * i] && rest[3 * i + 1] && rest[3 * i + 2]);
          return at < 0 ? null : { file, ...tries[at]! };
        },
      };
    },
    refuses,
  );
  const fileExamples: Example[] = [];
  const fileFunctions: Example[] = [];
  const usedKeys = new Set<string>();
  for (const { file, fn, mutation, spliced } of kept) {
    const { edits: _edits, ...fields } = mutationFields(mutation, fn.key);
    const line = fn.startLine - 1 + differingLines(fn.text, mutation.text)[0]!;
    fileExamples.push(generic(spliced, file.text, { ...fields, file_line: line }));
    fileFunctions.push(generic(mutation.text, fn.text, mutationFields(mutation, fn.key)));
    usedKeys.add(fn.key);
  }
  return { files: fileExamples, fileFunctions, usedPaths: new Set(kept.map((k) => k.file.path)), usedKeys };
}
