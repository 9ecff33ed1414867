// `dataset`: builds the training data from a folder of .py files (default: the machine's Python
// standard library) plus procedurally generated functions. Writes train/val/test JSONL, the
// vocabulary (tokenizer.json, from the train split only) and dataset_stats.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng, deriveSeed } from '../model';
import { Vocabulary } from '../model';
import { BUG_CLASS_NAMES, BUG_NAMES } from '../data/bugs';
import {
  bugClassWeights,
  buildExample,
  DEFAULT_TASK_MIX,
  exampleTokens,
  generateShare,
  TARGETED_BUG_NAMES,
  type Example,
  type TaskMix,
} from '../data/examples';
import { countTokens, extractFunctions } from '../data/extract';
import { generateFunctions } from '../data/generator';
import { toJsonl } from '../data/jsonl';
import { modernShares } from '../data/modernize';
import { DEFAULT_AUGMENT, extraNextLines, modernizedText, type AugmentSettings } from '../data/train-augment';
import { IDS_FILE_SUFFIX, idsJsonl } from '../data/ids-file';
import { assignSplits, splitOfFile, splitOfGenerated, SPLITS, type Split } from '../data/splits';
import {
  CANDIDATE_VOCAB_SIZES,
  coverageTable,
  minimumVocabSize,
  tokenCounts,
  type CoverageRow,
} from '../data/vocab-sizing';
import { UsageError } from './usage-error';
import { measureOutsideShares, type OutsideShares } from './outside-shares';

export const usage = `usage: npm run cli -- dataset [--source DIR] [--out data] [--seed 1] [--train-seed N] [--generated 20000]
                               [--max-tokens 100] [--vocab-size 2000] [--per-function 1]
                               [--train-mix fix=0.6,complete=0.25,generate=0.15,noBug=0.15]
                               [--train-class-boost misspelled_name=2,...]
                               [--modernize 0.6] [--next-lines 2] [--context-max-tokens 400]
                               [--measure-outside yes|no] [--tokenizer FILE]

Extracts every def function of at most --max-tokens lexer tokens (and 64 lines) from the .py files
under DIR (default: the standard library of python3 on this machine), adds --generated procedurally
generated functions, splits by file (train 80 / val 10 / test 10, fixed by --seed, no function text
in two splits) and makes --per-function examples per function (fix 60% with no_bug 15% of fix,
complete 25%, generate 15%). --train-mix and --train-class-boost change the train split only (val
and test keep the default mix, so figures stay comparable across datasets). Folders named site-packages, dist-packages, __pycache__, test,
tests and idle_test are skipped (installed packages, caches, test suites with deliberately bad code).
Writes train.jsonl, val.jsonl, test.jsonl, tokenizer.json (vocabulary of --vocab-size tokens, from
the train split only; --tokenizer FILE keeps that vocabulary instead, so a model can go on training
on this data) and dataset_stats.json (counts, lengths, vocabulary coverage) to --out.

Train split only (val and test stay comparable with older datasets): --train-seed N draws the train
examples (bugs, rewrites, next lines, order) from N instead of --seed, for another epoch on other
examples of the same train functions. --modernize is the share of
train functions rewritten as modern code (annotations, f-strings, async, walrus..., see
src/data/modernize.ts); --next-lines adds that many complete examples per train function; functions
of up to --context-max-tokens tokens (longer than --max-tokens) are extracted for complete examples
only, the model reading the last --max-tokens tokens before the line (test-split ones go to
test_context.jsonl, one per function). --measure-outside yes measures the same modern forms on the
pinned outside packages of site-packages (never trained on). dataset_stats.json's modern_forms holds
the shares before and after, beside the outside code's.

--outside [--per-class 200] [--files 60] instead writes --out/outside/{functions,files,file_functions}.jsonl
and outside_stats.json from installed third-party packages (src/cli/outside.ts): measurement only.`;

/** Folders never read: installed packages, caches, and test suites (full of deliberately bad code). */
export const SKIPPED_DIRS: readonly string[] = [
  'site-packages',
  'dist-packages',
  '__pycache__',
  'test',
  'tests',
  'idle_test',
];

/** Train functions sampled to measure how often each bug class applies. */
const CLASS_WEIGHT_SAMPLE = 1000;

export interface DatasetOptions {
  source?: string;
  out: string;
  seed: number;
  /** The seed of the train split's examples (bugs, modern rewrites, next lines, order); default seed. */
  trainSeed?: number;
  generated: number;
  maxTokens: number;
  vocabSize: number;
  /** A vocabulary to keep (--tokenizer): a model trained on it can go on training on this data. */
  vocabulary?: Vocabulary;
  perFunction: number;
  /** The task mix of the train split (val and test keep DEFAULT_TASK_MIX, so figures compare across datasets). */
  trainMix?: Partial<TaskMix>;
  /** Factors on the balanced bug-class weights of the train split (e.g. more misspelled_name). */
  trainClassBoost?: Record<string, number>;
  /** Modern code and next-line examples in the train split (default DEFAULT_AUGMENT). */
  augment?: Partial<AugmentSettings>;
  /** Measure modern forms on the outside packages (default false here, true from the command line). */
  measureOutside?: boolean;
}

interface Fn {
  text: string;
  origin: 'source' | 'generated';
  key: string; // file:line or generated:index
  split: Split;
}

interface LengthStats {
  source_max: number;
  source_mean: number;
  source_p95: number;
  target_max: number;
  target_mean: number;
  target_p95: number;
}

export interface DatasetStats {
  format: 'lstm-coding-optimizer-dataset-stats';
  settings: {
    source: string;
    seed: number;
    train_seed: number;
    generated: number;
    max_tokens: number;
    vocab_size: number;
    per_function: number;
    train_mix: TaskMix;
    train_class_boost: Record<string, number>;
    skipped_dirs: readonly string[];
  };
  files: {
    found: number;
    read: number;
    with_functions: number;
    unreadable: number;
    unreadable_files: { file: string; reason: string }[];
  };
  functions: {
    extracted: number;
    generated: number;
    by_source: Record<'source' | 'generated', Record<Split, number>>;
    duplicates_dropped: Record<Split, number>;
    not_usable: number;
  };
  examples: Record<Split, { count: number; by_task: Record<string, number>; by_class: Record<string, number> }>;
  lengths: Record<Split, LengthStats>;
  vocabulary: {
    size: number;
    built_from: 'train';
    fingerprint: string;
    minimum_size: number;
    coverage_split: 'val';
    coverage: CoverageRow[];
  };
  timing_ms: { read_and_extract: number; examples: number; encode_and_coverage: number; total: number };
  augmentation: AugmentSettings & {
    /** Train functions (within --max-tokens) changed by --modernize. */
    modernized_functions: number;
    /** Functions over --max-tokens (up to --context-max-tokens), per split, used for complete only. */
    context_functions: Record<Split, number>;
    /** Complete examples in train from --next-lines (short and long functions). */
    next_line_examples: number;
    /** Train complete examples whose input is longer than the model reads (windowed). */
    windowed_complete_examples: number;
    /** Examples in test_context.jsonl. */
    test_context_examples: number;
  };
  /** Share of functions showing each modern form: train before and after --modernize, and outside code. */
  modern_forms: {
    train_before: ReturnType<typeof modernShares>;
    train_after: ReturnType<typeof modernShares>;
    outside: OutsideShares | { skipped: string };
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      out: { type: 'string', default: 'data' },
      seed: { type: 'string', default: '1' },
      'train-seed': { type: 'string' },
      generated: { type: 'string', default: '20000' },
      'max-tokens': { type: 'string', default: '100' },
      'vocab-size': { type: 'string', default: '2000' },
      'per-function': { type: 'string', default: '1' },
      'train-mix': { type: 'string' },
      'train-class-boost': { type: 'string' },
      modernize: { type: 'string', default: String(DEFAULT_AUGMENT.modernize) },
      'next-lines': { type: 'string', default: String(DEFAULT_AUGMENT.nextLines) },
      'context-max-tokens': { type: 'string', default: String(DEFAULT_AUGMENT.contextMaxTokens) },
      'measure-outside': { type: 'string', default: 'yes' },
      tokenizer: { type: 'string' },
      outside: { type: 'boolean', default: false },
      'per-class': { type: 'string', default: '200' },
      files: { type: 'string', default: '60' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`dataset takes no positional arguments, got ${positionals.join(' ')}`);
  const int = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
    return n;
  };
  if (values.outside) {
    const { buildOutside } = await import('./outside');
    process.stdout.write(
      buildOutside(
        values.out!,
        int('seed', values.seed!, 0),
        int('per-class', values['per-class']!, 1),
        int('files', values.files!, 0),
        (line) => process.stderr.write(`${line}\n`),
      ),
    );
    return 0;
  }
  const share = (name: string, text: string) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
      throw new UsageError(`--${name} must be a share from 0 to 1, got ${JSON.stringify(text)}`);
    return n;
  };
  const yesNo = (name: string, text: string) => {
    if (text !== 'yes' && text !== 'no')
      throw new UsageError(`--${name} must be yes or no, got ${JSON.stringify(text)}`);
    return text === 'yes';
  };
  const options: DatasetOptions = {
    source: values.source,
    out: values.out!,
    seed: int('seed', values.seed!, 0),
    trainSeed: values['train-seed'] === undefined ? undefined : int('train-seed', values['train-seed'], 0),
    generated: int('generated', values.generated!, 0),
    maxTokens: int('max-tokens', values['max-tokens']!, 10),
    vocabSize: int('vocab-size', values['vocab-size']!, minimumVocabSize()),
    perFunction: int('per-function', values['per-function']!, 1),
    trainMix: values['train-mix'] === undefined ? undefined : parseTrainMix(values['train-mix']),
    trainClassBoost:
      values['train-class-boost'] === undefined ? undefined : parseClassBoost(values['train-class-boost']),
    augment: {
      modernize: share('modernize', values.modernize!),
      nextLines: int('next-lines', values['next-lines']!, 0),
      contextMaxTokens: int('context-max-tokens', values['context-max-tokens']!, 10),
    },
    measureOutside: yesNo('measure-outside', values['measure-outside']!),
    vocabulary: values.tokenizer === undefined ? undefined : readTokenizer(values.tokenizer),
  };
  const stats = buildDataset(options, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(summary(stats, options.out));
  return 0;
}

/** --tokenizer FILE: the vocabulary of an existing model (its tokenizer.json), refused with the reason. */
function readTokenizer(path: string): Vocabulary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--tokenizer ${path}: cannot read it (${(error as Error).message})`);
  }
  try {
    return Vocabulary.fromJSON(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`--tokenizer ${path}: not a tokenizer.json (${(error as Error).message})`);
  }
}

/** `name=number,...` pairs; `what` names the option in messages. */
function parsePairs(text: string, what: string, allowed: readonly string[]): Record<string, number> {
  const pairs: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const match = /^([A-Za-z_]+)=([0-9.]+)$/.exec(part);
    if (!match) throw new UsageError(`${what}: "${part}" is not name=number (e.g. ${allowed[0]}=0.5)`);
    const [, name, value] = match as unknown as [string, string, string];
    if (!allowed.includes(name)) throw new UsageError(`${what}: unknown name "${name}"; use ${allowed.join(', ')}`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`${what}: ${name} must be a number >= 0, got ${value}`);
    pairs[name] = n;
  }
  return pairs;
}

/** `--train-mix fix=0.5,complete=0.4,generate=0.1[,noBug=0.15]`: task shares of the train split. */
export function parseTrainMix(text: string): Partial<TaskMix> {
  const mix = parsePairs(text, '--train-mix', ['fix', 'complete', 'generate', 'noBug']) as Partial<TaskMix>;
  if (
    (mix.fix ?? 0) + (mix.complete ?? 0) + (mix.generate ?? 0) <= 0 &&
    ['fix', 'complete', 'generate'].some((t) => t in mix)
  ) {
    throw new UsageError(
      '--train-mix: the fix, complete and generate shares are all 0; give at least one a share above 0',
    );
  }
  if ((mix.noBug ?? 0) > 1)
    throw new UsageError(`--train-mix: noBug is a share of the fix examples, at most 1, got ${mix.noBug}`);
  return mix;
}

/** `--train-class-boost misspelled_name=2`: factors on the balanced weights of train bug classes. */
export function parseClassBoost(text: string): Record<string, number> {
  return parsePairs(text, '--train-class-boost', TARGETED_BUG_NAMES);
}

/** Python's stdlib folder, asked of python3 itself. */
export function pythonStdlib(): string {
  const result = spawnSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], {
    encoding: 'utf8',
  });
  const path = result.status === 0 ? result.stdout.trim() : '';
  if (path === '')
    throw new Error(
      `could not ask python3 for its standard library (${result.error?.message ?? result.stderr.trim()}); pass --source DIR`,
    );
  return path;
}

/** Every .py file under dir (sorted, relative paths with '/'), skipping SKIPPED_DIRS. */
export function findPythonFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRS.includes(entry.name)) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.py')) found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found;
}

export function buildDataset(options: DatasetOptions, log: (line: string) => void = () => {}): DatasetStats {
  const started = performance.now();
  const source = resolve(options.source ?? pythonStdlib());
  const files = findPythonFiles(source);
  log(`reading ${files.length} .py files under ${source}`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const unreadable: { file: string; reason: string }[] = [];
  const functions: Fn[] = [];
  const augment: AugmentSettings = { ...DEFAULT_AUGMENT, ...options.augment };
  // Functions over --max-tokens, kept for complete examples only (the model reads their end).
  const contextFunctions: Fn[] = [];
  const extractLimit = Math.max(options.maxTokens, augment.contextMaxTokens);
  let withFunctions = 0;
  for (const file of files) {
    let text: string;
    try {
      text = decoder.decode(readFileSync(join(source, file)));
    } catch (error) {
      unreadable.push({ file, reason: (error as Error).message.split('\n')[0]! });
      continue;
    }
    const split = splitOfFile(options.seed, file);
    const extracted = extractFunctions(text, file, { maxTokens: extractLimit });
    let usable = false;
    for (const fn of extracted) {
      const long = extractLimit > options.maxTokens && countTokens(fn.text) > options.maxTokens;
      (long ? contextFunctions : functions).push({
        text: fn.text,
        origin: 'source',
        key: `${file}:${fn.startLine}`,
        split,
      });
      usable ||= !long;
    }
    if (usable) withFunctions++;
  }
  const extractedCount = functions.length;
  for (const fn of generateFunctions(options.generated, options.seed)) {
    functions.push({
      text: fn.text,
      origin: 'generated',
      key: `generated:${fn.index}`,
      split: splitOfGenerated(options.seed, fn.index),
    });
  }
  const { splits, duplicates } = assignSplits(functions, (fn) => fn.split);
  const contextSplits = assignSplits(contextFunctions, (fn) => fn.split).splits;
  // Train only: a share of the functions rewritten as modern code (src/data/train-augment.ts).
  const trainBefore = splits.train.map((fn) => fn.text);
  // Splits, vocabulary sample and val/test examples follow --seed; the train examples --train-seed,
  // so a further epoch can see other bugs in the same train functions with val and test unchanged.
  const trainSeed = options.trainSeed ?? options.seed;
  let modernizedFunctions = 0;
  for (const fn of splits.train) {
    const text = modernizedText(fn, trainSeed, augment.modernize, options.maxTokens);
    if (text !== fn.text) modernizedFunctions++;
    fn.text = text;
  }
  for (const fn of contextSplits.train)
    fn.text = modernizedText(fn, trainSeed, augment.modernize, augment.contextMaxTokens);
  const extractedMs = performance.now() - started;
  log(
    `${extractedCount} functions extracted, ${options.generated} generated, ${SPLITS.map((s) => `${s} ${splits[s].length}`).join(', ')} after removing duplicates`,
  );

  const examplesStarted = performance.now();
  const examples: Record<Split, Example[]> = { train: [], val: [], test: [] };
  let notUsable = 0;
  let nextLineCount = 0;
  const testContext = contextSplits.test.flatMap((fn) => extraNextLines(fn, options.seed, 1));
  // Balance the bug classes by how often each applies, measured on a sample of the train functions.
  const sampleStep = Math.max(1, Math.floor(splits.train.length / CLASS_WEIGHT_SAMPLE));
  // Measured on the train functions as extracted (before --modernize), so val and test, whose bugs are
  // drawn with these weights too, do not depend on the train augmentation.
  const sample = trainBefore.filter((_, i) => i % sampleStep === 0);
  const classWeights = bugClassWeights(sample, BUG_NAMES, new Rng(deriveSeed(options.seed, 'class-weights')));
  const trainClassWeights = { ...classWeights };
  for (const [name, factor] of Object.entries(options.trainClassBoost ?? {}))
    trainClassWeights[name] = (trainClassWeights[name] ?? 1) * factor;
  for (const split of SPLITS) {
    // Invisible bug classes are measured in val/test but never trained on (see src/data/bugs.ts).
    const bugClasses = split === 'train' ? TARGETED_BUG_NAMES : BUG_NAMES;
    const share = generateShare(splits[split].map((fn) => fn.text));
    for (const fn of splits[split]) {
      for (let k = 0; k < options.perFunction; k++) {
        const rng = new Rng(deriveSeed(split === 'train' ? trainSeed : options.seed, `example:${fn.key}:${k}`));
        const example =
          split === 'train'
            ? buildExample(fn.text, rng, {
                bugClasses,
                maxTokens: options.maxTokens,
                generateShare: share,
                classWeights: trainClassWeights,
                mix: options.trainMix,
              })
            : buildExample(fn.text, rng, {
                bugClasses,
                maxTokens: options.maxTokens,
                generateShare: share,
                classWeights,
              });
        if (example) examples[split].push(example);
        else notUsable++;
      }
    }
    if (split === 'train') {
      for (const fn of [...splits.train, ...contextSplits.train]) {
        const extra = extraNextLines(fn, trainSeed, augment.nextLines);
        nextLineCount += extra.length;
        examples.train.push(...extra);
      }
    }
    const order = new Rng(deriveSeed(split === 'train' ? trainSeed : options.seed, `order:${split}`));
    const list = examples[split];
    for (let i = list.length - 1; i > 0; i--) {
      const j = order.nextInt(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  }
  const examplesMs = performance.now() - examplesStarted;

  const encodeStarted = performance.now();
  const counts = tokenCounts(splits.train);
  const vocab = options.vocabulary ?? Vocabulary.build(counts, options.vocabSize);
  const encoded = Object.fromEntries(
    SPLITS.map((s) => [s, examples[s].map((e) => exampleTokens(e, options.maxTokens))]),
  ) as Record<Split, ReturnType<typeof exampleTokens>[]>;
  const sizes = [...new Set([...CANDIDATE_VOCAB_SIZES, options.vocabSize])].sort((a, b) => a - b);
  const coverage = coverageTable(counts, sizes, encoded.val);
  const encodeMs = performance.now() - encodeStarted;

  mkdirSync(options.out, { recursive: true });
  for (const split of SPLITS) writeFileSync(join(options.out, `${split}.jsonl`), toJsonl(examples[split]));
  writeFileSync(join(options.out, 'test_context.jsonl'), toJsonl(testContext));
  const outside = options.measureOutside
    ? measureOutsideShares(options.maxTokens, log)
    : { skipped: 'not asked (--measure-outside no)' };
  // Token ids beside each split, for the PyTorch trainer (one tokenizer: ids cross over, not text).
  for (const split of SPLITS)
    writeFileSync(join(options.out, `${split}${IDS_FILE_SUFFIX}`), idsJsonl(examples[split], vocab).text);
  writeFileSync(join(options.out, 'tokenizer.json'), `${JSON.stringify(vocab.toJSON(), null, 1)}\n`);

  const count = (list: readonly (string | undefined)[]) => {
    const table: Record<string, number> = {};
    for (const key of list) if (key !== undefined) table[key] = (table[key] ?? 0) + 1;
    return table;
  };
  const stats: DatasetStats = {
    format: 'lstm-coding-optimizer-dataset-stats',
    settings: {
      source,
      seed: options.seed,
      train_seed: options.trainSeed ?? options.seed,
      generated: options.generated,
      max_tokens: options.maxTokens,
      vocab_size: vocab.size,
      per_function: options.perFunction,
      train_mix: { ...DEFAULT_TASK_MIX, ...options.trainMix },
      train_class_boost: options.trainClassBoost ?? {},
      skipped_dirs: SKIPPED_DIRS,
    },
    files: {
      found: files.length,
      read: files.length - unreadable.length,
      with_functions: withFunctions,
      unreadable: unreadable.length,
      unreadable_files: unreadable.slice(0, 50),
    },
    functions: {
      extracted: extractedCount,
      generated: options.generated,
      by_source: {
        source: Object.fromEntries(
          SPLITS.map((s) => [s, splits[s].filter((fn) => fn.origin === 'source').length]),
        ) as Record<Split, number>,
        generated: Object.fromEntries(
          SPLITS.map((s) => [s, splits[s].filter((fn) => fn.origin === 'generated').length]),
        ) as Record<Split, number>,
      },
      duplicates_dropped: duplicates,
      not_usable: notUsable,
    },
    examples: Object.fromEntries(
      SPLITS.map((s) => [
        s,
        {
          count: examples[s].length,
          by_task: count(examples[s].map((e) => e.task)),
          by_class: Object.fromEntries(
            BUG_CLASS_NAMES.map((name) => [name, examples[s].filter((e) => e.class === name).length]),
          ),
        },
      ]),
    ) as DatasetStats['examples'],
    lengths: Object.fromEntries(SPLITS.map((s) => [s, lengthStats(encoded[s])])) as Record<Split, LengthStats>,
    vocabulary: {
      size: vocab.size,
      built_from: 'train',
      fingerprint: vocab.fingerprint(),
      minimum_size: minimumVocabSize(),
      coverage_split: 'val',
      coverage,
    },
    augmentation: {
      ...augment,
      modernized_functions: modernizedFunctions,
      context_functions: Object.fromEntries(SPLITS.map((s) => [s, contextSplits[s].length])) as Record<Split, number>,
      next_line_examples: nextLineCount,
      windowed_complete_examples: examples.train.filter(
        (e) => e.task === 'complete' && countTokens(e.input) > options.maxTokens,
      ).length,
      test_context_examples: testContext.length,
    },
    modern_forms: {
      train_before: modernShares(trainBefore),
      train_after: modernShares(splits.train.map((fn) => fn.text)),
      outside,
    },
    timing_ms: {
      read_and_extract: Math.round(extractedMs),
      examples: Math.round(examplesMs),
      encode_and_coverage: Math.round(encodeMs),
      total: Math.round(performance.now() - started),
    },
  };
  writeFileSync(join(options.out, 'dataset_stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}

function lengthStats(encoded: readonly { srcTokens: string[]; tgtTokens: string[] }[]): LengthStats {
  const describe = (lengths: number[]) => {
    const sorted = [...lengths].sort((a, b) => a - b);
    const mean = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return {
      max: sorted.at(-1) ?? 0,
      mean: Math.round(mean * 10) / 10,
      p95: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0,
    };
  };
  const s = describe(encoded.map((e) => e.srcTokens.length));
  const t = describe(encoded.map((e) => e.tgtTokens.length));
  return {
    source_max: s.max,
    source_mean: s.mean,
    source_p95: s.p95,
    target_max: t.max,
    target_mean: t.mean,
    target_p95: t.p95,
  };
}

function modernLine(label: string, shares: DatasetStats['modern_forms']['train_before']): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `${label} ${pct(shares.annotated)} / ${pct(shares.fstring)} / ${pct(shares.async)} / ${pct(shares.walrus)} of ${shares.functions}`;
}

function summary(stats: DatasetStats, out: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `files: ${stats.files.read} read, ${stats.files.unreadable} unreadable, ${stats.files.with_functions} with usable functions (source ${stats.settings.source})`,
    `functions: ${stats.functions.extracted} extracted + ${stats.functions.generated} generated; duplicates dropped ${SPLITS.map((s) => `${s} ${stats.functions.duplicates_dropped[s]}`).join(', ')}`,
    ...SPLITS.map(
      (s) =>
        `${s.padEnd(5)}: ${String(stats.examples[s].count).padStart(6)} examples (${Object.entries(
          stats.examples[s].by_task,
        )
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}); source ≤ ${stats.lengths[s].source_max} tokens, target ≤ ${stats.lengths[s].target_max}`,
    ),
    `vocabulary: ${stats.vocabulary.size} tokens from train; coverage of val target tokens:`,
    '    size  in-vocab  copy-only  unknown',
    ...stats.vocabulary.coverage.map(
      (r) =>
        `  ${String(r.size).padStart(6)}  ${pct(r.inVocabShare).padStart(8)}  ${pct(r.copyOnlyShare).padStart(9)}  ${pct(r.unknownShare).padStart(7)}`,
    ),
    `train augmentation: ${stats.augmentation.modernized_functions} functions modernized (--modernize ${stats.augmentation.modernize}), ${stats.augmentation.next_line_examples} next-line examples (${stats.augmentation.windowed_complete_examples} longer than the model reads), context functions ${SPLITS.map((s) => `${s} ${stats.augmentation.context_functions[s]}`).join(', ')}`,
    `modern forms (annotated, f-string, async, walrus): ${modernLine('train before', stats.modern_forms.train_before)}; ${modernLine('after', stats.modern_forms.train_after)}; ${'skipped' in stats.modern_forms.outside ? `outside skipped (${stats.modern_forms.outside.skipped})` : modernLine('outside', stats.modern_forms.outside.within_limits)}`,
    `wrote ${out}/{train,val,test,test_context}.jsonl, {train,val,test}.ids.jsonl, tokenizer.json, dataset_stats.json in ${(stats.timing_ms.total / 1000).toFixed(1)} s`,
  ];
  return `${lines.join('\n')}\n`;
}
