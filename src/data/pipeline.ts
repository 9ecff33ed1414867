// The data pipeline, one for the `dataset` command and the training worker (they only read and write):
// functions extracted from .py files plus generated ones → splits (no function text in two) →
// bug-class weights → one example per function and draw → each split shuffled. Seeded throughout:
// the same files, settings and seed give the same examples in the same order.
import { Rng, deriveSeed } from '../model';
import { BUG_NAMES } from './bugs';
import { bugClassWeights, buildExample, generateShare, TARGETED_BUG_NAMES, type Example, type TaskMix } from './examples';
import { countTokens, extractFunctions } from './extract';
import { generateFunctions } from './generator';
import {
  assignSplits,
  DEFAULT_SPLIT_FRACTIONS,
  splitOfKey,
  SPLITS,
  type Split,
  type SplitFractions,
} from './splits';
import { tokenEditExamples } from './train-token-edits';
import { DEFAULT_AUGMENT, extraNextLines, modernizedText, type AugmentSettings, type DatasetFunction } from './train-augment';

/** Train functions sampled (evenly spread) to measure how often each bug class applies. */
export const CLASS_WEIGHT_SAMPLE = 1000;

/** No train augmentation: no modern rewrites, no extra next lines, no functions over maxTokens. */
export const NO_AUGMENT: AugmentSettings = { modernize: 0, nextLines: 0, contextMaxTokens: 0 };

/**
 * How functions are split. `file`: all functions of a file in one split, so a model is never tested
 * on a file it trained on (a corpus of many files). `function`: each function on its own (the one or
 * two files a user brings to the page would otherwise land whole in train or in validation).
 */
export interface SplitRule {
  unit: 'file' | 'function';
  fractions: SplitFractions;
}

/** The `dataset` command's rule: by file, train 80 / val 10 / test 10. */
export const CORPUS_SPLIT: SplitRule = { unit: 'file', fractions: DEFAULT_SPLIT_FRACTIONS };

export interface SourceFile {
  /** Relative path with '/' (`pkg/mod.py`): part of every function's key, so of its split and draws. */
  path: string;
  text: string;
}

export interface PipelineSettings {
  /** The seed of the splits, class weights, and val and test examples. */
  seed: number;
  /** The seed of the train examples (bugs, rewrites, next lines, order); default seed. */
  trainSeed?: number;
  /** Generated functions added after the files' (src/data/generator.ts). */
  generated: number;
  /** Longest function (lexer tokens) made into examples; longer ones serve complete examples only. */
  maxTokens: number;
  /** Examples drawn per function. */
  perFunction: number;
  split: SplitRule;
  /** The task mix of the train split (val and test keep the default, so figures compare). */
  trainMix?: Partial<TaskMix>;
  /** Factors on the balanced bug-class weights of the train split. */
  trainClassBoost?: Record<string, number>;
  /** Train augmentation (default DEFAULT_AUGMENT; NO_AUGMENT turns it off). */
  augment?: Partial<AugmentSettings>;
  /** Extra train fix examples of one-token mutations per train function (train-token-edits.ts); default 0. */
  trainTokenEdits?: number;
}

export interface PipelineFunction extends DatasetFunction {
  /** The source file's path; absent for generated functions. */
  file?: string;
  split: Split;
}

export interface PipelineFileCount {
  path: string;
  /** Functions of at most maxTokens extracted from it. */
  functions: number;
  /** Examples made from its functions (next-line extras aside). */
  examples: number;
}

export interface PipelineResult {
  augment: AugmentSettings;
  examples: Record<Split, Example[]>;
  /** One next-line example per test function over maxTokens (the model reads their end). */
  testContext: Example[];
  /** Functions within maxTokens per split, duplicates removed, train texts after modernizing. */
  splits: Record<Split, PipelineFunction[]>;
  /** Functions over maxTokens (up to augment.contextMaxTokens) per split, for complete examples only. */
  contextSplits: Record<Split, PipelineFunction[]>;
  /** The train functions' texts before modernizing. */
  trainBefore: string[];
  files: PipelineFileCount[];
  /** Functions within maxTokens from the files, before duplicates are removed. */
  extracted: number;
  duplicates: Record<Split, number>;
  /** Draws that made no example (no task applied within maxTokens). */
  notUsable: number;
  modernizedFunctions: number;
  nextLineExamples: number;
  /** Train fix examples of one-token mutations (settings.trainTokenEdits). */
  tokenEditExamples: number;
  timingMs: { extract: number; examples: number };
}

function splitOf(fn: DatasetFunction & { file?: string }, seed: number, rule: SplitRule): Split {
  if (rule.unit === 'file' && fn.file !== undefined) return splitOfKey(seed, `file:${fn.file}`, rule.fractions);
  // A generated function is its own unit under either rule.
  return splitOfKey(seed, fn.key, rule.fractions);
}

function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

export function runPipeline(files: readonly SourceFile[], settings: PipelineSettings): PipelineResult {
  const started = performance.now();
  const { seed, maxTokens } = settings;
  // Splits, the class-weight sample and val/test examples follow seed; the train examples trainSeed,
  // so a further epoch can see other bugs in the same train functions with val and test unchanged.
  const trainSeed = settings.trainSeed ?? seed;
  const augment: AugmentSettings = { ...DEFAULT_AUGMENT, ...settings.augment };
  const extractLimit = Math.max(maxTokens, augment.contextMaxTokens);
  const functions: PipelineFunction[] = [];
  const contextFunctions: PipelineFunction[] = [];
  const fileCounts: PipelineFileCount[] = [];
  for (const file of files) {
    const count: PipelineFileCount = { path: file.path, functions: 0, examples: 0 };
    fileCounts.push(count);
    for (const fn of extractFunctions(file.text, file.path, { maxTokens: extractLimit })) {
      const long = extractLimit > maxTokens && countTokens(fn.text) > maxTokens;
      const made = { text: fn.text, origin: 'source' as const, key: `${file.path}:${fn.startLine}`, file: file.path };
      (long ? contextFunctions : functions).push({ ...made, split: splitOf(made, seed, settings.split) });
      if (!long) count.functions++;
    }
  }
  const extracted = functions.length;
  for (const fn of generateFunctions(settings.generated, seed)) {
    const made = { text: fn.text, origin: 'generated' as const, key: `generated:${fn.index}` };
    functions.push({ ...made, split: splitOf(made, seed, settings.split) });
  }
  const { splits, duplicates } = assignSplits(functions, (fn) => fn.split);
  const contextSplits = assignSplits(contextFunctions, (fn) => fn.split).splits;
  const trainBefore = splits.train.map((fn) => fn.text);
  let modernizedFunctions = 0;
  for (const fn of splits.train) {
    const text = modernizedText(fn, trainSeed, augment.modernize, maxTokens);
    if (text !== fn.text) modernizedFunctions++;
    fn.text = text;
  }
  for (const fn of contextSplits.train) fn.text = modernizedText(fn, trainSeed, augment.modernize, augment.contextMaxTokens);
  const extractMs = performance.now() - started;

  const examplesStarted = performance.now();
  // Bug classes balanced by how often each applies, measured on train functions as extracted (before
  // modernizing), so val and test, whose bugs are drawn with these weights too, do not depend on it.
  const sampleStep = Math.max(1, Math.floor(splits.train.length / CLASS_WEIGHT_SAMPLE));
  const sample = trainBefore.filter((_, i) => i % sampleStep === 0);
  const classWeights = bugClassWeights(sample, BUG_NAMES, new Rng(deriveSeed(seed, 'class-weights')));
  const trainClassWeights = { ...classWeights };
  for (const [name, factor] of Object.entries(settings.trainClassBoost ?? {}))
    trainClassWeights[name] = (trainClassWeights[name] ?? 1) * factor;
  const examplesPerFile = new Map<string, number>();
  const examples: Record<Split, Example[]> = { train: [], val: [], test: [] };
  let notUsable = 0;
  let nextLineExamples = 0;
  let tokenEditCount = 0;
  for (const split of SPLITS) {
    const isTrain = split === 'train';
    const splitSeed = isTrain ? trainSeed : seed;
    // Invisible bug classes are measured in val and test but never trained on (see bugs.ts).
    const bugClasses = isTrain ? TARGETED_BUG_NAMES : BUG_NAMES;
    const share = generateShare(splits[split].map((fn) => fn.text));
    for (const fn of splits[split]) {
      for (let k = 0; k < settings.perFunction; k++) {
        const rng = new Rng(deriveSeed(splitSeed, `example:${fn.key}:${k}`));
        const example = isTrain
          ? buildExample(fn.text, rng, {
              bugClasses,
              maxTokens,
              generateShare: share,
              classWeights: trainClassWeights,
              mix: settings.trainMix,
            })
          : buildExample(fn.text, rng, { bugClasses, maxTokens, generateShare: share, classWeights });
        if (!example) {
          notUsable++;
          continue;
        }
        examples[split].push(example);
        if (fn.file !== undefined) examplesPerFile.set(fn.file, (examplesPerFile.get(fn.file) ?? 0) + 1);
      }
    }
    if (isTrain) {
      for (const fn of [...splits.train, ...contextSplits.train]) {
        const extra = extraNextLines(fn, trainSeed, augment.nextLines);
        nextLineExamples += extra.length;
        examples.train.push(...extra);
      }
      const tokenEdits = settings.trainTokenEdits ?? 0;
      if (tokenEdits > 0)
        for (const fn of splits.train) {
          const made = tokenEditExamples(fn.key, fn.text, trainSeed, tokenEdits, maxTokens);
          tokenEditCount += made.length;
          examples.train.push(...made);
        }
    }
    shuffle(examples[split], new Rng(deriveSeed(splitSeed, `order:${split}`)));
  }
  const testContext = contextSplits.test.flatMap((fn) => extraNextLines(fn, seed, 1));
  for (const count of fileCounts) count.examples = examplesPerFile.get(count.path) ?? 0;
  return {
    augment,
    examples,
    testContext,
    splits,
    contextSplits,
    trainBefore,
    files: fileCounts,
    extracted,
    duplicates,
    notUsable,
    modernizedFunctions,
    nextLineExamples,
    tokenEditExamples: tokenEditCount,
    timingMs: { extract: extractMs, examples: performance.now() - examplesStarted },
  };
}
