// The training worker's data: the built-in generator, .py files (functions extracted, bugs injected
// here, as the `dataset` command does), or JSONL pairs (bad lines reported with their line numbers
// and skipped). Everything is seeded, so preparing the same source again (to resume a run after a
// reload) gives the same examples in the same order. The validation split is by function (or line),
// not by file: a user often brings one or two files.
import { Rng, deriveSeed } from '../model';
import { BUG_NAMES } from '../data/bugs';
import { bugClassWeights, buildExample, generateShare, TARGETED_BUG_NAMES, type Example } from '../data/examples';
import { extractFunctions } from '../data/extract';
import { generateFunctions } from '../data/generator';
import { parseJsonl } from '../data/jsonl';
import { assignSplits, splitOfKey, type SplitFractions } from '../data/splits';
import {
  MAX_PROBLEMS_SENT,
  type DataOptions,
  type DataSummary,
  type FileSummary,
  type LineProblem,
} from './training-protocol';

export interface PreparedData {
  train: Example[];
  val: Example[];
  summary: DataSummary;
}

/** Thrown when a source holds nothing to train on; the message says why, file by file. */
export class NoUsableDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoUsableDataError';
  }
}

interface SourceFunction {
  text: string;
  key: string; // stable across preparations: the split and the injected bug derive from it
  file: string;
}

const CLASS_WEIGHT_SAMPLE = 200;

function fractions(validationPercent: number): SplitFractions {
  const val = Math.min(50, Math.max(1, validationPercent)) / 100;
  return { train: 1 - val, val, test: 0 };
}

/** At least one validation item when there are two or more: the loop evaluates on it. */
function ensureValidation<T>(train: T[], val: T[]): void {
  if (val.length === 0 && train.length >= 2) val.push(train.pop()!);
}

function shuffled<T>(items: T[], seed: number, label: string): T[] {
  const rng = new Rng(deriveSeed(seed, label));
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function countBy(examples: readonly Example[], key: (e: Example) => string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of examples) {
    const k = key(e);
    if (k !== undefined) counts[k] = (counts[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function summarize(
  base: Omit<DataSummary, 'trainExamples' | 'valExamples' | 'byTask' | 'byClass' | 'prepareMs'>,
  train: Example[],
  val: Example[],
  started: number,
): PreparedData {
  const all = [...train, ...val];
  return {
    train,
    val,
    summary: {
      ...base,
      trainExamples: train.length,
      valExamples: val.length,
      byTask: countBy(all, (e) => e.task),
      byClass: countBy(all, (e) => (e.task === 'fix' ? e.class : undefined)),
      prepareMs: performance.now() - started,
    },
  };
}

/** Examples from correct functions: split by function, then one task per function with a bug drawn for fix. */
function fromFunctions(functions: SourceFunction[], options: DataOptions) {
  const { seed, maxTokens } = options;
  const split = fractions(options.validationPercent);
  const { splits, duplicates } = assignSplits(functions, (fn) => splitOfKey(seed, fn.key, split));
  const sample = splits.train.slice(0, CLASS_WEIGHT_SAMPLE).map((fn) => fn.text);
  const classWeights = bugClassWeights(sample, TARGETED_BUG_NAMES, new Rng(deriveSeed(seed, 'class-weights')));
  const perFile = new Map<string, number>();
  let notUsable = 0;
  const make = (list: SourceFunction[], bugClasses: readonly string[]) => {
    const share = generateShare(list.map((fn) => fn.text));
    const out: Example[] = [];
    for (const fn of list) {
      const example = buildExample(fn.text, new Rng(deriveSeed(seed, `example:${fn.key}`)), {
        bugClasses,
        maxTokens,
        generateShare: share,
        classWeights,
      });
      if (!example) {
        notUsable++;
        continue;
      }
      out.push(example);
      perFile.set(fn.file, (perFile.get(fn.file) ?? 0) + 1);
    }
    return out;
  };
  const train = shuffled(make(splits.train, TARGETED_BUG_NAMES), seed, 'order:train');
  // Validation also measures the classes no model can see from the text (as the CLI's val split does).
  const val = shuffled(make(splits.val, BUG_NAMES), seed, 'order:val');
  ensureValidation(train, val);
  return { train, val, duplicates: duplicates.train + duplicates.val, notUsable, perFile };
}

function prepareBuiltin(count: number, options: DataOptions, started: number): PreparedData {
  const functions = generateFunctions(count, options.seed).map((fn) => ({
    text: fn.text,
    key: `generated:${fn.index}`,
    file: 'generator',
  }));
  const made = fromFunctions(functions, options);
  if (made.train.length === 0)
    throw new NoUsableDataError('the generator made no usable example: raise the number of functions');
  return summarize(
    {
      kind: 'builtin',
      functions: functions.length,
      duplicates: made.duplicates,
      notUsable: made.notUsable,
      files: [],
      problems: [],
      problemCount: 0,
    },
    made.train,
    made.val,
    started,
  );
}

function preparePython(
  files: DataOptions['source'] & { kind: 'python' },
  options: DataOptions,
  started: number,
): PreparedData {
  const functions: SourceFunction[] = [];
  const summaries: FileSummary[] = [];
  const problems: LineProblem[] = [];
  for (const file of files.files) {
    const extracted = extractFunctions(file.text, file.name, { maxTokens: options.maxTokens });
    const refused =
      extracted.length === 0 ? `no function of at most ${options.maxTokens} tokens that lexes cleanly` : null;
    if (refused) problems.push({ file: file.name, line: 0, reason: refused });
    summaries.push({ name: file.name, items: extracted.length, examples: 0, refused });
    for (const fn of extracted)
      functions.push({ text: fn.text, key: `file:${file.name}:${fn.startLine}`, file: file.name });
  }
  const made = fromFunctions(functions, options);
  for (const s of summaries) s.examples = made.perFile.get(s.name) ?? 0;
  if (made.train.length === 0) {
    throw new NoUsableDataError(
      files.files.length === 0
        ? 'no .py file was chosen'
        : `nothing usable in ${files.files.length === 1 ? files.files[0]!.name : `the ${files.files.length} files`}: ` +
            (functions.length === 0
              ? `no def function of at most ${options.maxTokens} tokens was found`
              : `${functions.length} functions, but no example could be made from them`),
    );
  }
  return summarize(
    {
      kind: 'python',
      functions: functions.length,
      duplicates: made.duplicates,
      notUsable: made.notUsable,
      files: summaries,
      problems: problems.slice(0, MAX_PROBLEMS_SENT),
      problemCount: problems.length,
    },
    made.train,
    made.val,
    started,
  );
}

function prepareJsonl(
  files: DataOptions['source'] & { kind: 'jsonl' },
  options: DataOptions,
  started: number,
): PreparedData {
  const split = fractions(options.validationPercent);
  const train: Example[] = [];
  const val: Example[] = [];
  const summaries: FileSummary[] = [];
  const problems: LineProblem[] = [];
  let lines = 0;
  for (const file of files.files) {
    const parsed = parseJsonl(file.text, file.name, { maxTokens: options.maxTokens });
    const read = parsed.examples.length + parsed.problems.length;
    lines += read;
    problems.push(...parsed.problems);
    const refused =
      parsed.examples.length > 0
        ? null
        : read === 0
          ? 'the file is empty'
          : `none of its ${read} lines is a usable example`;
    summaries.push({ name: file.name, items: read, examples: parsed.examples.length, refused });
    parsed.examples.forEach((example, i) =>
      (splitOfKey(options.seed, `jsonl:${file.name}:${i}`, split) === 'val' ? val : train).push(example),
    );
  }
  ensureValidation(train, val);
  if (train.length === 0) {
    const why = summaries.map((s) => `${s.name}: ${s.refused ?? `${s.examples} examples`}`).join('; ');
    throw new NoUsableDataError(
      files.files.length === 0 ? 'no JSONL file was chosen' : `nothing usable to train on (${why})`,
    );
  }
  return summarize(
    {
      kind: 'jsonl',
      functions: lines,
      duplicates: 0,
      notUsable: 0,
      files: summaries,
      problems: problems.slice(0, MAX_PROBLEMS_SENT),
      problemCount: problems.length,
    },
    shuffled(train, options.seed, 'order:train'),
    val,
    started,
  );
}

export function prepareData(options: DataOptions): PreparedData {
  const started = performance.now();
  const source = options.source;
  switch (source.kind) {
    case 'builtin':
      return prepareBuiltin(source.functions, options, started);
    case 'python':
      return preparePython(source, options, started);
    case 'jsonl':
      return prepareJsonl(source, options, started);
  }
}
