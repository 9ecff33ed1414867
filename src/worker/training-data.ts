// The training worker's data: the built-in generator or .py files (through the data pipeline the
// `dataset` command runs, src/data/pipeline.ts), or JSONL pairs (bad lines reported with their line
// numbers and skipped). Everything is seeded, so preparing the same source again (to resume a run
// after a reload) gives the same examples in the same order. The validation split is by function (or
// line), not by file: a user often brings one or two files. "Your code" (training-adapt.ts) splits
// by file instead, as `npm run cli -- adapt` does, and keeps its held-out examples per class.
import { Rng, deriveSeed } from '../model';
import type { Example } from '../data/examples';
import { parseJsonl } from '../data/jsonl';
import { NO_AUGMENT, runPipeline, type PipelineResult, type SourceFile, type SplitRule } from '../data/pipeline';
import { splitOfKey, type SplitFractions } from '../data/splits';
import { prepareAdapt } from './training-adapt';
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
  /** "Your code": the held-out examples per class, measured before training and at each evaluation. */
  heldout?: Record<string, Example[]>;
}

/** Thrown when a source holds nothing to train on; the message says why, file by file. */
export class NoUsableDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoUsableDataError';
  }
}

function fractions(validationPercent: number): SplitFractions {
  const val = Math.min(50, Math.max(1, validationPercent)) / 100;
  return { train: 1 - val, val, test: 0 };
}

/** The worker's split of functions: each on its own, validationPercent of them held out, no test split. */
export function validationSplit(validationPercent: number): SplitRule {
  return { unit: 'function', fractions: fractions(validationPercent) };
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

/** Examples from correct functions: the data pipeline with the worker's split, one draw per function, no augmentation. */
function fromFunctions(
  files: readonly SourceFile[],
  generated: number,
  options: DataOptions,
): { pipeline: PipelineResult; train: Example[]; val: Example[]; duplicates: number } {
  const pipeline = runPipeline(files, {
    seed: options.seed,
    generated,
    maxTokens: options.maxTokens,
    perFunction: 1,
    split: validationSplit(options.validationPercent),
    augment: NO_AUGMENT,
  });
  const { train, val } = pipeline.examples;
  ensureValidation(train, val);
  const { duplicates } = pipeline;
  return { pipeline, train, val, duplicates: duplicates.train + duplicates.val + duplicates.test };
}

function prepareBuiltin(count: number, options: DataOptions, started: number): PreparedData {
  const made = fromFunctions([], count, options);
  if (made.train.length === 0)
    throw new NoUsableDataError('the generator made no usable example: raise the number of functions');
  return summarize(
    {
      kind: 'builtin',
      functions: count,
      duplicates: made.duplicates,
      notUsable: made.pipeline.notUsable,
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
  const made = fromFunctions(
    files.files.map((file) => ({ path: file.name, text: file.text })),
    0,
    options,
  );
  const problems: LineProblem[] = [];
  const summaries: FileSummary[] = made.pipeline.files.map((file) => {
    const refused =
      file.functions === 0 ? `no function of at most ${options.maxTokens} tokens that lexes cleanly` : null;
    if (refused) problems.push({ file: file.path, line: 0, reason: refused });
    return { name: file.path, items: file.functions, examples: file.examples, refused };
  });
  const functions = made.pipeline.extracted;
  if (made.train.length === 0) {
    throw new NoUsableDataError(
      files.files.length === 0
        ? 'no .py file was chosen'
        : `nothing usable in ${files.files.length === 1 ? files.files[0]!.name : `the ${files.files.length} files`}: ` +
            (functions === 0
              ? `no def function of at most ${options.maxTokens} tokens was found`
              : `${functions} functions, but no example could be made from them`),
    );
  }
  return summarize(
    {
      kind: 'python',
      functions,
      duplicates: made.duplicates,
      notUsable: made.pipeline.notUsable,
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
    case 'adapt': {
      const made = prepareAdapt(source, options);
      const base = { kind: 'adapt' as const, functions: made.functions, duplicates: made.duplicates, notUsable: 0 };
      const prepared = summarize({ ...base, files: [], problems: [], problemCount: 0 }, made.train, made.val, started);
      return { ...prepared, heldout: made.heldout, summary: { ...prepared.summary, adapt: made.adapt } };
    }
  }
}
