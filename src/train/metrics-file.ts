// training_metrics.json (docs/design.md#metrics-report-and-chart): everything the report and the chart are written from.
import type { EvalReport } from './evaluate';
import type { EvalRecord, StepRecord, TrainSettings } from './loop';

export const METRICS_FORMAT = 'lstm-coding-optimizer-metrics';

export interface TrainingMetrics {
  format: typeof METRICS_FORMAT;
  format_version: 1;
  created: string; // ISO time the file was written
  model: {
    name: string;
    version: string;
    parameters: number;
    architecture: Record<string, unknown>;
    vocab_size: number;
  };
  settings: TrainSettings & { batch_size: number };
  run: {
    stop_reason: string;
    steps: number;
    epochs_completed: number;
    wall_time_ms: number; // training only, across every resumed session
    tokens_seen: number;
    steps_per_second: number;
    tokens_per_second: number;
    best_val_loss: number | null;
    backend: string;
    machine: string;
  };
  /** Per step, thinned to at most a few thousand points (every k-th step). */
  steps: Pick<StepRecord, 'step' | 'epoch' | 'loss' | 'accuracy' | 'tokensPerSecond'>[];
  /** Every evaluation: validation loss, token accuracy and the per-mode and per-task scores. */
  evals: EvalRecord[];
  /** Train loss averaged per epoch, and the validation loss at each epoch's end. */
  epochs: { epoch: number; train_loss: number; val_loss: number | null }[];
  dataset: Record<string, unknown> | null;
  /** The held-out test evaluation (`eval --mode all` on the same examples reproduces it). */
  test: MeasuredEval | null;
  /** Outside real code (never trained on, docs/design.md#outside-data), convergent mode: `finish --outside`. */
  outside?: MeasuredEval | null;
  /** Next-line completion on outside code (complete.jsonl beside the outside functions). */
  outside_complete?: MeasuredEval | null;
  /** Generate on documented outside functions (generate.jsonl beside the outside functions). */
  outside_generate?: MeasuredEval | null;
  /** The model this one replaces, measured on the same examples: `finish --previous DIR`. */
  previous?: {
    dir: string;
    created: string;
    test: MeasuredEval | null;
    outside: MeasuredEval | null;
    outside_complete?: MeasuredEval | null;
    outside_generate?: MeasuredEval | null;
  } | null;
  artifacts: Record<string, number>; // file name → bytes
  /**
   * The model this run's weights started from (`train --init-from`), read from its own
   * training_metrics.json; `before` sums the training behind it, all the way back. Absent: from scratch.
   */
  init_from?: InitFrom | null;
  /** Present when the PyTorch trainer (trainer/, docs/design.md#pytorch-trainer) wrote the run: what ran it. */
  trainer?: {
    name: 'pytorch';
    torch: string;
    python: string;
    device: string;
    device_name: string;
    world_size: number;
    threads: number;
  };
}

/**
 * An evaluation with what it read and the command that reproduces it. `data_sha256`: the file's
 * content, so figures are reused only for the same examples, not the same path; `code_sha256`: the
 * model code (src/model) that measured them.
 */
export type MeasuredEval = EvalReport & {
  data: string;
  data_sha256?: string;
  code_sha256?: string;
  limit: number;
  command: string;
};

export interface InitFrom {
  dir: string;
  created: string; // when that model's metrics were written
  steps: number;
  wall_time_ms: number;
  tokens_seen: number;
  /** The training behind those weights in all: their own run plus whatever they started from. */
  before: { steps: number; wall_time_ms: number; tokens_seen: number };
}

/** What a run that starts from `dir`'s weights records, from that model's training_metrics.json. */
export function initFromMetrics(dir: string, base: TrainingMetrics): InitFrom {
  const earlier = base.init_from?.before ?? { steps: 0, wall_time_ms: 0, tokens_seen: 0 };
  return {
    dir,
    created: base.created,
    steps: base.run.steps,
    wall_time_ms: base.run.wall_time_ms,
    tokens_seen: base.run.tokens_seen,
    before: {
      steps: earlier.steps + base.run.steps,
      wall_time_ms: earlier.wall_time_ms + base.run.wall_time_ms,
      tokens_seen: earlier.tokens_seen + base.run.tokens_seen,
    },
  };
}

/** What a finished run knows of itself, in the file's own terms (rates and the step list are derived). */
export interface RunFacts {
  created: string;
  model: TrainingMetrics['model'];
  settings: TrainingMetrics['settings'];
  run: Omit<TrainingMetrics['run'], 'steps_per_second' | 'tokens_per_second'>;
  history: { steps: readonly StepRecord[]; evals: EvalRecord[] };
  dataset: Record<string, unknown> | null;
}

/**
 * training_metrics.json of a finished run, before any test evaluation: the one builder for the CLI
 * trainer (src/cli/train-finish.ts) and the in-browser one (src/worker/training-export.ts).
 */
export function runMetrics(f: RunFacts): TrainingMetrics {
  const perSecond = (n: number) => (f.run.wall_time_ms > 0 ? (n * 1000) / f.run.wall_time_ms : 0);
  return {
    format: METRICS_FORMAT,
    format_version: 1,
    created: f.created,
    model: f.model,
    settings: f.settings,
    run: { ...f.run, steps_per_second: perSecond(f.run.steps), tokens_per_second: perSecond(f.run.tokens_seen) },
    steps: thinSteps(f.history.steps, 3000).map(({ step, epoch, loss, accuracy, tokensPerSecond }) => ({
      step,
      epoch,
      loss,
      accuracy,
      tokensPerSecond,
    })),
    evals: f.history.evals,
    epochs: epochSummary(f.history.steps, f.history.evals),
    dataset: f.dataset,
    test: null,
    artifacts: {},
  };
}

/** Every k-th step so that at most `maxPoints` remain (the last step always stays). */
export function thinSteps<T extends { step: number }>(steps: readonly T[], maxPoints: number): T[] {
  if (steps.length <= maxPoints) return [...steps];
  const every = Math.ceil(steps.length / maxPoints);
  const out = steps.filter((_, i) => i % every === 0);
  if (out[out.length - 1] !== steps[steps.length - 1]) out.push(steps[steps.length - 1]!);
  return out;
}

function epochSummary(steps: readonly StepRecord[], evals: readonly EvalRecord[]): TrainingMetrics['epochs'] {
  const byEpoch = new Map<number, number[]>();
  for (const s of steps) byEpoch.set(s.epoch, [...(byEpoch.get(s.epoch) ?? []), s.loss]);
  return [...byEpoch.entries()].map(([epoch, losses]) => {
    const lastEval = [...evals]
      .reverse()
      .find(
        (e) =>
          e.epoch === epoch + 1 ||
          (e.epoch === epoch && e.step === Math.max(...steps.filter((s) => s.epoch === epoch).map((s) => s.step))),
      );
    return {
      epoch,
      train_loss: losses.reduce((a, b) => a + b, 0) / losses.length,
      val_loss: lastEval?.valLoss ?? null,
    };
  });
}
