// An adaptation ("Adapt to your code"): the model measured per class on the user's held-out code in
// convergent mode ("before"), fine-tuned for a set number of minutes on the user's training files
// with the one training loop, and measured again ("after"). Shared by `npm run cli -- adapt` and the
// training worker: no DOM, no file system; the caller hands over model files and examples
// (src/data/adapt-examples.ts) and gets scores and the adapted model files back.
import * as tf from '@tensorflow/tfjs-core';
import {
  disposeParams,
  downloadParams,
  initParams,
  readModelFiles,
  Seq2SeqCodingOptimizer,
  writeModelFiles,
  type CodingOptimizer,
  type ModelFiles,
} from '../model';
import { encodeExample, makeBatches, makeBatchSource, spread, type EncodedIds } from '../data/batching';
import type { AdaptData } from '../data/adapt-examples';
import type { Example } from '../data/examples';
import { evaluateExamples } from './evaluate';
import { restoreParams, train, type StepRecord, type StopReason, type TrainSettings } from './loop';
import { validate } from './validate';
import { wilsonInterval } from './wilson';

/** Held-out batches of the teacher-forced loss the loop reports at each epoch's end (cheap, for charts). */
export const ADAPT_VAL_BATCHES = 4;
/** The loop's epoch cap: the clock, not the epochs, ends an adaptation. */
const ADAPT_MAX_EPOCHS = 1_000_000;

/** One class's held-out exact match in convergent mode, with its 95% Wilson interval. */
export interface ClassScore {
  n: number;
  exact: number;
  low: number;
  high: number;
}
export type ClassScores = Record<string, ClassScore>;

export type AdaptPhase = 'before' | 'training' | 'after';

export interface AdaptOptions {
  /** The model to start from (the shipped one, or any model files). */
  model: ModelFiles;
  data: AdaptData;
  /** Training wall time; measuring before and after is not counted. */
  minutes: number;
  seed: number;
  /** Default: the model config's [training] learning_rate. */
  learningRate?: number;
  /** Default: the model config's [training] batch_size. */
  batchSize?: number;
  /**
   * Measure the held-out classes every this many steps while training (the page's chart), reported
   * through onMeasure; the time it takes counts against `minutes`. Absent: only before and after.
   */
  measureEverySteps?: number;
  /** Cancels the adaptation: whatever phase it is in stops and `adapt` rejects with the signal's reason. */
  signal?: AbortSignal;
  onPhase?(phase: AdaptPhase): void;
  onMeasureProgress?(phase: AdaptPhase, done: number, total: number): void;
  onMeasure?(step: number, scores: ClassScores): void;
  onStep?(record: StepRecord): void;
}

export interface AdaptResult {
  before: ClassScores;
  after: ClassScores;
  /** The fine-tuned model files (the starting model's config and vocabulary). */
  adapted: ModelFiles;
  steps: number;
  /** Real source and target tokens the fine-tuning trained on. */
  tokens: number;
  trainMs: number;
  stopReason: StopReason;
  trainExamples: number;
  /** Training examples the model's vocabulary or task format could not encode. */
  skippedExamples: number;
  backend: string;
}

/** Per class, exact match in convergent mode with its interval; `onProgress` counts examples over all classes. */
export async function measureByClass(
  model: CodingOptimizer,
  heldout: Readonly<Record<string, readonly Example[]>>,
  options: { signal?: AbortSignal; onProgress?(done: number, total: number): void } = {},
): Promise<ClassScores> {
  const total = Object.values(heldout).reduce((sum, list) => sum + list.length, 0);
  let before = 0;
  const scores: ClassScores = {};
  for (const [name, examples] of Object.entries(heldout)) {
    const report = await evaluateExamples(examples, {
      model,
      modes: ['convergent'],
      signal: options.signal,
      onProgress: (done) => options.onProgress?.(before + done, total),
    });
    before += examples.length;
    const n = report.count;
    const exact = Math.round((report.exact_match ?? 0) * n);
    scores[name] = { n, exact, ...wilsonInterval(exact, n) };
  }
  return scores;
}

function encodeAll(
  examples: readonly Example[],
  model: Seq2SeqCodingOptimizer,
): { encoded: EncodedIds[]; skipped: number } {
  const encoded: EncodedIds[] = [];
  let skipped = 0;
  for (const example of examples) {
    try {
      encoded.push(encodeExample(example, model.vocab));
    } catch {
      skipped += 1;
    }
  }
  return { encoded, skipped };
}

export async function adapt(options: AdaptOptions): Promise<AdaptResult> {
  if (!(options.minutes > 0))
    throw new RangeError(`an adaptation needs some minutes of training, got ${options.minutes}`);
  const host = readModelFiles(options.model);
  const { config, network, vocab } = host;
  const params = initParams(network, options.seed);
  try {
    restoreParams(params, Object.fromEntries(host.tensors));
    // The model reads the variables the loop trains: "after" measures the fine-tuned weights.
    const model = new Seq2SeqCodingOptimizer(config, network, vocab, params, host.warnings);
    const measure = (phase: AdaptPhase) =>
      measureByClass(model, options.data.heldout, {
        signal: options.signal,
        onProgress: (done, total) => options.onMeasureProgress?.(phase, done, total),
      });

    options.onPhase?.('before');
    const before = await measure('before');
    options.signal?.throwIfAborted();

    const batchSize = options.batchSize ?? config.training.batch_size;
    const { encoded, skipped } = encodeAll(options.data.train, model);
    const data = makeBatchSource(encoded, { batchSize, seed: options.seed });
    const heldoutFixes = encodeAll(Object.values(options.data.heldout).flat(), model).encoded;
    const valBatches = spread(makeBatches(heldoutFixes, { batchSize, seed: options.seed }), ADAPT_VAL_BATCHES);
    const settings: TrainSettings = {
      epochs: ADAPT_MAX_EPOCHS,
      learningRate: options.learningRate ?? config.training.learning_rate,
      gradientClipNorm: config.training.gradient_clip_norm,
      earlyStoppingPatience: 0,
      evalIntervalSteps: options.measureEverySteps ?? 0,
      checkpointIntervalSteps: 0,
      seed: options.seed,
    };
    // The clock ends the run; the caller's signal ends it sooner. Both are read before each step,
    // after a turn of the event loop: a backend whose read-backs resolve as microtasks (cpu, wasm)
    // would otherwise never let a timer or a stop message through.
    const clock = new AbortController();
    const stop = () => clock.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    options.onPhase?.('training');
    const deadline = performance.now() + options.minutes * 60_000;
    let result;
    try {
      result = await train({
        network,
        params,
        settings,
        data,
        signal: clock.signal,
        evaluate: async (step) => {
          const v = await validate(network, params, valBatches);
          if (options.measureEverySteps !== undefined && step % options.measureEverySteps === 0)
            options.onMeasure?.(step, await measure('training'));
          return { valLoss: v.loss, valTokenAccuracy: v.tokenAccuracy, scores: {} };
        },
        callbacks: {
          onStep: options.onStep,
          pauseGate: async () => {
            await new Promise<void>((resolve) => setTimeout(resolve, 0));
            if (performance.now() >= deadline) stop();
          },
        },
      });
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }

    options.signal?.throwIfAborted();
    options.onPhase?.('after');
    const after = await measure('after');
    options.signal?.throwIfAborted();
    const adapted = writeModelFiles(config, vocab, await downloadParams(params));
    return {
      before,
      after,
      adapted,
      steps: result.progress.step,
      tokens: result.progress.tokensSeen,
      trainMs: result.progress.elapsedMs,
      stopReason: result.reason,
      trainExamples: encoded.length,
      skippedExamples: skipped,
      backend: tf.getBackend(),
    };
  } finally {
    disposeParams(params);
  }
}
