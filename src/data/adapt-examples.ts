// The examples of an adaptation ("Adapt to your code"): the user's Python files split by file into
// train and held-out (80/20, seeded), then fix examples made with the bug injectors, several per
// function so each class gets up to `perClass` held-out examples where the code allows, and
// next-line completions. A function whose code also sits in a training file is not held out, so
// the held-out figures measure code the fine-tuning never saw. Pure: shared by the CLI and the page.
import { deriveSeed, Rng } from '../model';
import { AdaptRefusal, type PythonFile } from './adapt-files';
import { completeExample, fixExample, nextLineExamples, TARGETED_BUG_NAMES, type Example } from './examples';
import { countTokens, extractFunctions, normalizedKey } from './extract';

/** Share of the files held out for the before/after measurement. */
export const HELDOUT_SHARE = 0.2;
/** Fewer functions than this cannot be split into something to train on and something to measure. */
export const MIN_FUNCTIONS = 20;
/** Held-out examples per class wanted (fewer where the code does not allow as many). */
export const DEFAULT_HELDOUT_PER_CLASS = 150;
/** Bugs tried per held-out function and class: distinct buggy inputs are kept, repeats dropped. */
export const HELDOUT_TRIES_PER_FUNCTION = 8;
/** Distinct examples per training function and fix class, and next-line examples per training function. */
export const TRAIN_FIX_PER_CLASS = 2;
export const TRAIN_COMPLETE_PER_FUNCTION = 3;

/** The class of the next-line examples in the per-class tables. */
export const COMPLETE_CLASS = 'complete';
/** Fix classes measured and trained: the bugs the model is trained on, and correct code. */
export const ADAPT_FIX_CLASSES: readonly string[] = ['no_bug', ...TARGETED_BUG_NAMES];
export const ADAPT_CLASSES: readonly string[] = [...ADAPT_FIX_CLASSES, COMPLETE_CLASS];

export interface AdaptExampleOptions {
  seed: number;
  /** Longest function the model reads (lexer tokens): its config's max_sequence_length. */
  maxTokens: number;
  perClass?: number;
}

export interface AdaptData {
  trainFiles: string[];
  heldoutFiles: string[];
  /** Files holding no function the model can read: in neither list. */
  filesWithoutFunctions: string[];
  functions: { train: number; heldout: number; heldoutDuplicates: number };
  train: Example[];
  /** Per class (ADAPT_CLASSES), the held-out examples. */
  heldout: Record<string, Example[]>;
}

interface KeyedFunction {
  key: string;
  text: string;
}

function shuffle<T>(items: T[], seed: number, label: string): T[] {
  const rng = new Rng(deriveSeed(seed, label));
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The files split by file, HELDOUT_SHARE of them (at least one) held out; the same seed gives the same split. */
export function splitByFile<T extends { path: string }>(files: readonly T[], seed: number): { train: T[]; heldout: T[] } {
  const order = shuffle(
    [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    seed,
    'adapt-split',
  );
  const heldoutCount = Math.max(1, Math.round(order.length * HELDOUT_SHARE));
  const byPath = (a: T, b: T) => (a.path < b.path ? -1 : 1);
  return { heldout: order.slice(0, heldoutCount).sort(byPath), train: order.slice(heldoutCount).sort(byPath) };
}

/** Builds the split and the examples, or throws AdaptRefusal saying what is missing. */
export function buildAdaptData(files: readonly PythonFile[], options: AdaptExampleOptions): AdaptData {
  const perClass = options.perClass ?? DEFAULT_HELDOUT_PER_CLASS;
  if (files.length === 0) throw new AdaptRefusal('no Python file to read: choose a folder that holds .py files');
  const functionsOf = new Map<string, KeyedFunction[]>();
  for (const file of files) {
    const found = extractFunctions(file.text, file.path, { maxTokens: options.maxTokens });
    if (found.length > 0) functionsOf.set(file.path, found.map((fn) => ({ key: `${file.path}:${fn.startLine}`, text: fn.text })));
  }
  const total = [...functionsOf.values()].reduce((sum, list) => sum + list.length, 0);
  if (total < MIN_FUNCTIONS)
    throw new AdaptRefusal(
      `${files.length} Python file${files.length === 1 ? '' : 's'} hold ${total} function${total === 1 ? '' : 's'} the model can read ` +
        `(at most ${options.maxTokens} tokens); at least ${MIN_FUNCTIONS} are needed: add ${MIN_FUNCTIONS - total} more`,
    );
  const withFunctions = files.filter((f) => functionsOf.has(f.path));
  if (withFunctions.length < 2)
    throw new AdaptRefusal(
      `all ${total} functions are in one file (${withFunctions[0]!.path}); the split is by file, so at least 2 files with functions are needed`,
    );
  const split = splitByFile(withFunctions, options.seed);
  const trainFunctions = split.train.flatMap((f) => functionsOf.get(f.path)!);
  const trainKeys = new Set(trainFunctions.map((fn) => normalizedKey(fn.text)));
  const heldoutAll = split.heldout.flatMap((f) => functionsOf.get(f.path)!);
  const heldoutFunctions = heldoutAll.filter((fn) => !trainKeys.has(normalizedKey(fn.text)));
  const fits = (e: Example | null): e is Example => e !== null && countTokens(e.input) <= options.maxTokens;
  return {
    trainFiles: split.train.map((f) => f.path),
    heldoutFiles: split.heldout.map((f) => f.path),
    filesWithoutFunctions: files.filter((f) => !functionsOf.has(f.path)).map((f) => f.path),
    functions: { train: trainFunctions.length, heldout: heldoutFunctions.length, heldoutDuplicates: heldoutAll.length - heldoutFunctions.length },
    train: trainExamples(trainFunctions, options.seed, fits),
    heldout: heldoutExamples(heldoutFunctions, options.seed, perClass, fits),
  };
}

/** Per function: TRAIN_FIX_PER_CLASS distinct examples of each fix class, and next-line examples. */
function trainExamples(functions: readonly KeyedFunction[], seed: number, fits: (e: Example | null) => e is Example): Example[] {
  const out: Example[] = [];
  for (const fn of functions) {
    for (const name of ADAPT_FIX_CLASSES) {
      const seen = new Set<string>();
      for (let attempt = 0; attempt < TRAIN_FIX_PER_CLASS * 2 && seen.size < TRAIN_FIX_PER_CLASS; attempt++) {
        const example = fixExample(fn.text, name, new Rng(deriveSeed(seed, `adapt-train:${name}:${fn.key}:${attempt}`)));
        if (!fits(example) || seen.has(example.input)) continue;
        seen.add(example.input);
        out.push(example);
      }
    }
    out.push(...nextLineExamples(fn.text, new Rng(deriveSeed(seed, `adapt-train:complete:${fn.key}`)), TRAIN_COMPLETE_PER_FUNCTION));
  }
  return shuffle(out, seed, 'adapt-train-order');
}

/**
 * Per class, up to perClass distinct examples, taken round by round over the shuffled functions: one
 * from each function before a second from any, so the examples spread over the code.
 */
function heldoutExamples(
  functions: readonly KeyedFunction[],
  seed: number,
  perClass: number,
  fits: (e: Example | null) => e is Example,
): Record<string, Example[]> {
  const out: Record<string, Example[]> = {};
  for (const name of ADAPT_CLASSES) {
    const order = shuffle([...functions], seed, `adapt-heldout-order:${name}`);
    const chosen: Example[] = [];
    const seen = new Set<string>();
    for (let round = 0; round < HELDOUT_TRIES_PER_FUNCTION && chosen.length < perClass; round++) {
      for (const fn of order) {
        if (chosen.length >= perClass) break;
        const rng = new Rng(deriveSeed(seed, `adapt-heldout:${name}:${fn.key}:${round}`));
        const example = name === COMPLETE_CLASS ? completeExample(fn.text, rng) : fixExample(fn.text, name, rng);
        if (!fits(example)) continue;
        const key = `${example.input}\u0000${example.target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        chosen.push(example);
      }
    }
    out[name] = chosen;
  }
  return out;
}
