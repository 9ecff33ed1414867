// "Your code" during a run: the held-out examples per class measured in convergent mode by the same
// function as `npm run cli -- adapt` (measureByClass, src/train/adapt.ts), on the weights the run
// trains, written into the run's evaluation records as `class.<name>` scores with their counts and
// 95% intervals, so they travel in the metric deltas, the checkpoint's history and the exported
// metrics like any other score. "Before" is an evaluation at step 0.
import { Seq2SeqCodingOptimizer, type ModelConfig, type NetworkConfig, type Vocabulary } from '../model';
import { measureByClass, type ClassScores } from '../train/adapt';
import type { Example } from '../data/examples';
import type { EvalRecord } from '../train/loop';
import type { MetricsDelta } from './training-protocol';

/** The scores' prefix: `class.no_bug`, `class.complete`, … */
export const CLASS_SCORE_PREFIX = 'class.';

export type ClassEntries = Pick<EvalRecord, 'scores'> & Required<Pick<EvalRecord, 'counts'>>;

/** The per-class scores as an evaluation's named scores and counts. */
export function classEntries(scores: ClassScores): ClassEntries {
  const out: ClassEntries = { scores: {}, counts: {} };
  for (const [name, score] of Object.entries(scores)) {
    out.scores[`${CLASS_SCORE_PREFIX}${name}`] = score.n > 0 ? score.exact / score.n : 0;
    out.counts[`${CLASS_SCORE_PREFIX}${name}`] = { ...score };
  }
  return out;
}

export interface HeldoutModel {
  config: ModelConfig;
  network: NetworkConfig;
  vocab: Vocabulary;
  /** The run's variables: each measurement reads the weights as they are. */
  params: ConstructorParameters<typeof Seq2SeqCodingOptimizer>[3];
}

export class HeldoutMeasure {
  /** The measurement under way (examples done of all), for the progress messages; null between them. */
  current: MetricsDelta['measuring'] = null;
  private readonly model: Seq2SeqCodingOptimizer;

  constructor(
    host: HeldoutModel,
    private readonly heldout: Readonly<Record<string, readonly Example[]>>,
    private readonly signal: AbortSignal,
    /** Called as examples are measured (the session throttles its messages). */
    private readonly onProgress: () => void,
  ) {
    // Shares the trainer's variables: never disposed here.
    this.model = new Seq2SeqCodingOptimizer(host.config, host.network, host.vocab, host.params);
  }

  async measure(before: boolean): Promise<ClassEntries> {
    try {
      const scores = await measureByClass(this.model, this.heldout, {
        signal: this.signal,
        onProgress: (done, total) => {
          this.current = { before, done, total };
          this.onProgress();
        },
      });
      return classEntries(scores);
    } finally {
      this.current = null;
    }
  }

  /** "Before": the evaluation at step 0 (no validation loss), or null when the run was stopped meanwhile. */
  async before(): Promise<EvalRecord | null> {
    const started = performance.now();
    const classes = await this.measure(true);
    // Stopped while measuring: a partial "before" is no measurement.
    if (this.signal.aborted) return null;
    return {
      step: 0,
      epoch: 0,
      valLoss: Number.NaN,
      valTokenAccuracy: Number.NaN,
      ...classes,
      evalMs: performance.now() - started,
    };
  }
}
