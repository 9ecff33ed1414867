// `dataset`: builds the training data from a folder of .py files (default: the machine's Python
// standard library) plus procedurally generated functions. Writes train/val/test JSONL, the
// vocabulary (tokenizer.json, from the train split only) and dataset_stats.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Vocabulary } from '../model';
import { BUG_CLASS_NAMES } from '../data/bugs';
import { DEFAULT_TASK_MIX, encodableExamples, exampleTokens, TARGETED_BUG_NAMES, type TaskMix } from '../data/examples';
import { countTokens } from '../data/extract';
import { toJsonl } from '../data/jsonl';
import { modernShares } from '../data/modernize';
import { CORPUS_SPLIT, runPipeline, type SourceFile, type SplitRule } from '../data/pipeline';
import { findPythonFiles, SKIPPED_DIRS } from '../data/python-files';
import { DEFAULT_AUGMENT, type AugmentSettings } from '../data/train-augment';
import { IDS_FILE_SUFFIX, idsJsonl } from '../data/ids-file';
import { writeChunked } from './write-chunked';
import { SPLITS, type Split } from '../data/splits';
import { CANDIDATE_VOCAB_SIZES, coverageTable, minimumVocabSize, tokenCounts } from '../data/vocab-sizing';
import { datasetSummary, lengthStats, type DatasetStats, type LengthStats } from './dataset-stats';

import { UsageError } from './usage-error';
import { measureOutsideShares } from './outside-shares';

/** --train-token-edits above this is a typo: each draw re-checks a mutated copy of the function. */
const MAX_TOKEN_EDITS_PER_FUNCTION = 8;

/** How many examples left out for not encoding are named in the log (the rest are counted). */
const UNENCODABLE_LOGGED = 5;
export const usage = `usage: npm run cli -- dataset [--source DIR] [--out data] [--seed 1] [--train-seed N] [--generated 20000]
                               [--max-tokens 100] [--vocab-size 2000] [--per-function 1]
                               [--train-mix fix=0.6,complete=0.25,generate=0.15,noBug=0.15]
                               [--train-class-boost misspelled_name=2,...]
                               [--modernize 0.6] [--next-lines 2] [--context-max-tokens 400]
                               [--measure-outside yes|no] [--tokenizer FILE] [--train-token-edits 0]

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

--train-token-edits N adds about N fix examples per train function of one-token mutations (insert,
delete, substitute, swap) that Python refuses, class token_edit (src/data/train-token-edits.ts).

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
(and the same with half and source, *_labelled.jsonl), generic.jsonl, generic_files.jsonl,
generic_file_functions.jsonl (token edits Python refuses), no_harm.jsonl, no_harm_files.jsonl and
outside_stats.json from installed third-party packages (src/cli/outside.ts): measurement only.`;

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
  /** Extra train fix examples of one-token mutations per train function (0: none). */
  trainTokenEdits?: number;
  /** Measure modern forms on the outside packages (default false here, true from the command line). */
  measureOutside?: boolean;
  /** How functions are split (default CORPUS_SPLIT, by file; the training worker splits by function). */
  split?: SplitRule;
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
      'train-token-edits': { type: 'string', default: '0' },
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
  const nonNegative = (name: string, text: string) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_TOKEN_EDITS_PER_FUNCTION)
      throw new UsageError(
        `--${name} must be a number from 0 to ${MAX_TOKEN_EDITS_PER_FUNCTION}, got ${JSON.stringify(text)}`,
      );
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
    trainTokenEdits: nonNegative('train-token-edits', values['train-token-edits']!),
    vocabulary: values.tokenizer === undefined ? undefined : readTokenizer(values.tokenizer),
  };
  const stats = buildDataset(options, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(datasetSummary(stats, options.out));
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

/** Python's stdlib folder, asked of python3 (or the interpreter given) itself. */
export function pythonStdlib(python = 'python3'): string {
  const result = spawnSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], {
    encoding: 'utf8',
  });
  const path = result.status === 0 ? result.stdout.trim() : '';
  if (path === '')
    throw new Error(
      `could not ask ${python} for its standard library (${result.error?.message ?? result.stderr.trim()}); pass --source DIR`,
    );
  return path;
}

export function buildDataset(options: DatasetOptions, log: (line: string) => void = () => {}): DatasetStats {
  const started = performance.now();
  const source = resolve(options.source ?? pythonStdlib());
  const paths = findPythonFiles(source, (path) => readdirSync(path, { withFileTypes: true }));
  log(`reading ${paths.length} .py files under ${source}`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const unreadable: { file: string; reason: string }[] = [];
  const files: SourceFile[] = [];
  for (const path of paths) {
    try {
      files.push({ path, text: decoder.decode(readFileSync(join(source, path))) });
    } catch (error) {
      unreadable.push({ file: path, reason: (error as Error).message.split('\n')[0]! });
    }
  }
  const readMs = performance.now() - started;
  const made = runPipeline(files, {
    seed: options.seed,
    trainSeed: options.trainSeed,
    generated: options.generated,
    maxTokens: options.maxTokens,
    perFunction: options.perFunction,
    split: options.split ?? CORPUS_SPLIT,
    trainMix: options.trainMix,
    trainClassBoost: options.trainClassBoost,
    augment: options.augment,
    trainTokenEdits: options.trainTokenEdits,
  });
  const { examples, splits, contextSplits, testContext, augment } = made;
  log(
    `${made.extracted} functions extracted, ${options.generated} generated, ${SPLITS.map((s) => `${s} ${splits[s].length}`).join(', ')} after removing duplicates`,
  );

  const encodeStarted = performance.now();
  const counts = tokenCounts(splits.train);
  const vocab = options.vocabulary ?? Vocabulary.build(counts, options.vocabSize);
  const encoded = {} as Record<Split, ReturnType<typeof exampleTokens>[]>;
  const unencodable = { train: 0, val: 0, test: 0 } as Record<Split, number>;
  for (const split of SPLITS) {
    // An example the model cannot read (a rewrite that pushed a function past its lines, say) is
    // left out of every file, counted, and the first few named, rather than ending the build.
    const read = encodableExamples(examples[split], options.maxTokens);
    examples[split] = read.kept;
    encoded[split] = read.encoded;
    unencodable[split] = read.left.length;
    for (const { example, reason } of read.left.slice(0, UNENCODABLE_LOGGED))
      log(`left out a ${split} ${example.task} example (${example.class ?? 'no class'}): ${reason}`);
  }
  const sizes = [...new Set([...CANDIDATE_VOCAB_SIZES, options.vocabSize])].sort((a, b) => a - b);
  const coverage = coverageTable(counts, sizes, encoded.val);
  const encodeMs = performance.now() - encodeStarted;

  mkdirSync(options.out, { recursive: true });
  for (const split of SPLITS)
    writeChunked(join(options.out, `${split}.jsonl`), examples[split].length, (a, b) =>
      toJsonl(examples[split].slice(a, b)),
    );
  writeFileSync(join(options.out, 'test_context.jsonl'), toJsonl(testContext));
  const outside = options.measureOutside
    ? measureOutsideShares(options.maxTokens, log)
    : { skipped: 'not asked (--measure-outside no)' };
  // Token ids beside each split, for the PyTorch trainer (one tokenizer: ids cross over, not text).
  for (const split of SPLITS)
    writeChunked(
      join(options.out, `${split}${IDS_FILE_SUFFIX}`),
      examples[split].length,
      (a, b) => idsJsonl(examples[split].slice(a, b), vocab, a + 1).text,
    );
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
      train_token_edits: options.trainTokenEdits ?? 0,
      skipped_dirs: SKIPPED_DIRS,
    },
    unencodable_examples: unencodable,
    files: {
      found: paths.length,
      read: files.length,
      with_functions: made.files.filter((f) => f.functions > 0).length,
      unreadable: unreadable.length,
      unreadable_files: unreadable.slice(0, 50),
    },
    functions: {
      extracted: made.extracted,
      generated: options.generated,
      by_source: {
        source: Object.fromEntries(
          SPLITS.map((s) => [s, splits[s].filter((fn) => fn.origin === 'source').length]),
        ) as Record<Split, number>,
        generated: Object.fromEntries(
          SPLITS.map((s) => [s, splits[s].filter((fn) => fn.origin === 'generated').length]),
        ) as Record<Split, number>,
      },
      duplicates_dropped: made.duplicates,
      not_usable: made.notUsable,
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
      modernized_functions: made.modernizedFunctions,
      context_functions: Object.fromEntries(SPLITS.map((s) => [s, contextSplits[s].length])) as Record<Split, number>,
      next_line_examples: made.nextLineExamples,
      token_edit_examples: made.tokenEditExamples,
      windowed_complete_examples: examples.train.filter(
        (e) => e.task === 'complete' && countTokens(e.input) > options.maxTokens,
      ).length,
      test_context_examples: testContext.length,
    },
    modern_forms: {
      train_before: modernShares(made.trainBefore),
      train_after: modernShares(splits.train.map((fn) => fn.text)),
      outside,
    },
    timing_ms: {
      read_and_extract: Math.round(readMs + made.timingMs.extract),
      examples: Math.round(made.timingMs.examples),
      encode_and_coverage: Math.round(encodeMs),
      total: Math.round(performance.now() - started),
    },
  };
  writeFileSync(join(options.out, 'dataset_stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}
