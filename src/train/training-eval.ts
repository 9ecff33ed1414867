// The trainer's periodic evaluation: validation loss and token accuracy on held-out batches, and
// exact match per cognitive mode and per task on one fixed sample of validation examples, each with
// its count and 95% Wilson interval, so the charts show how each mode improves while the model
// trains and how far one evaluation can be trusted.
import { type ModelConfig, MODES, Seq2SeqCodingOptimizer, type NetworkConfig, type Vocabulary } from '../model';
import type { Params } from '../model/internals';
import type { Example } from '../data/examples';
import { evaluateExamples, type MetricSet } from './evaluate';
import type { HostBatch } from '../data/host-batch';
import type { EvalRecord, ScoreCount } from './loop';
import { wilsonInterval } from './wilson';
import { validate } from './validate';

export interface TrainingEvaluatorOptions {
  config: ModelConfig;
  network: NetworkConfig;
  params: Params;
  vocab: Vocabulary;
  valBatches: readonly HostBatch[];
  /** Examples decoded in every mode at each evaluation (keep it small: beam search is slow). */
  sample: readonly Example[];
  /** Called when the validation loss is the best so far (e.g. to save the model). */
  onBest?(valLoss: number): Promise<void> | void;
  /** Best validation loss of the run so far (when resuming), so a worse model never replaces it. */
  bestSoFar?: number | null;
}

export function makeTrainingEvaluator(options: TrainingEvaluatorOptions) {
  let best = options.bestSoFar ?? Number.POSITIVE_INFINITY;
  // The model shares the trainer's parameters: never dispose it.
  const model = new Seq2SeqCodingOptimizer(options.config, options.network, options.vocab, options.params);
  return {
    async evaluate(): Promise<Omit<EvalRecord, 'step' | 'epoch' | 'evalMs'>> {
      const v = await validate(options.network, options.params, options.valBatches);
      const scores: Record<string, number> = {};
      const counts: Record<string, ScoreCount> = {};
      const add = (key: string, m: MetricSet) => {
        if (m.exact_match === null) return;
        scores[key] = m.exact_match;
        const exact = Math.round(m.exact_match * m.count);
        counts[key] = { n: m.count, exact, ...wilsonInterval(exact, m.count) };
      };
      if (options.sample.length > 0) {
        const report = await evaluateExamples(options.sample, { model, modes: [...MODES] });
        for (const [mode, m] of Object.entries(report.by_mode)) add(`mode.${mode}`, m);
        for (const [task, m] of Object.entries(report.by_task)) add(`task.${task}`, m);
      }
      if (v.loss < best) {
        best = v.loss;
        await options.onBest?.(v.loss);
      }
      return { valLoss: v.loss, valTokenAccuracy: v.tokenAccuracy, scores, counts };
    },
  };
}
