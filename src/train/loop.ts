// The one training loop, shared by the CLI (Node) and the training worker (browser). It reports
// through callbacks, stops on an AbortSignal, pauses on a gate the caller controls, and resumes
// exactly from a checkpoint (parameters, optimizer moments, position in the data, dropout seeds).
import * as tf from '@tensorflow/tfjs-core';
import { type ModelConfig, type NetworkConfig, deriveSeed } from '../model';
import { lossAndGrads } from '../model/internals';
import { Adam, DEFAULT_ADAM, type AdamState } from './adam';
import { realTokens, type BatchSource, type HostBatch } from '../data/host-batch';
import { disposeBatch, toTensorBatch } from './host-batch';
import { learningRateAt, plannedStepsOf } from './schedule';
import type { EvalBudget } from './eval-budget';

export interface TrainSettings {
  epochs: number; // passes over the training batches
  learningRate: number; // Adam step size
  gradientClipNorm: number; // global-norm clip (0: off)
  earlyStoppingPatience: number; // evaluations without a better validation loss before stopping (0: never)
  evalIntervalSteps: number; // evaluate every N steps (and at the end of each epoch)
  checkpointIntervalSteps: number; // hand a checkpoint to onCheckpoint every N steps (0: only at the end)
  seed: number; // data order and dropout masks derive from it
  maxSteps?: number; // stop after this many steps in all (demos, tests); the schedule ignores it
  /** Linear learning-rate decay: the rate falls from `learningRate` at step 1 to this fraction of it at step `plannedSteps` (absent: constant). */
  decayToFraction?: number;
  /** The learning rate's horizon (schedule.ts), fixed when the run starts: absent, epochs × batches per epoch; the checkpoint keeps it. */
  plannedSteps?: number;
}

/** The loop's settings from a config's [training] table: the one mapping, for the CLI and the worker. */
export function trainSettingsFromConfig(t: ModelConfig['training'], maxSteps?: number): TrainSettings {
  const settings: TrainSettings = {
    epochs: t.epochs,
    learningRate: t.learning_rate,
    gradientClipNorm: t.gradient_clip_norm,
    earlyStoppingPatience: t.early_stopping_patience,
    evalIntervalSteps: t.eval_interval_steps,
    checkpointIntervalSteps: t.checkpoint_interval_steps,
    seed: t.seed,
  };
  if (maxSteps !== undefined) settings.maxSteps = maxSteps;
  return settings;
}

export interface StepRecord {
  step: number; // 1-based count of updates so far
  epoch: number; // 0-based
  loss: number; // teacher-forced NLL per target token
  accuracy: number; // teacher-forced token accuracy
  gradNorm: number; // before clipping
  tokens: number; // real source + target tokens in the batch
  stepMs: number; // wall time of the step, read-back included
  tokensPerSecond: number;
}

/** What an evaluation measured; `valLoss` drives early stopping, the rest is for charts and reports. */
export interface EvalRecord {
  step: number;
  epoch: number;
  valLoss: number;
  valTokenAccuracy: number;
  /** Named accuracies, e.g. `mode.convergent`, `task.fix`: whatever the evaluator measured. */
  scores: Record<string, number>;
  /** For the scores that are exact-match rates: the examples, the exact ones and the 95% Wilson interval. */
  counts?: Record<string, ScoreCount>;
  evalMs: number;
  /** With an evaluation budget: the share of the run's wall time spent evaluating so far, this one included. */
  evalShare?: number;
}

export interface ScoreCount {
  n: number;
  exact: number;
  low: number;
  high: number;
}

export interface TrainProgress {
  step: number;
  epoch: number;
  batchInEpoch: number; // next batch to train on in `epoch`
  bestValLoss: number | null;
  evalsWithoutImprovement: number;
  elapsedMs: number; // training wall time over all sessions
  tokensSeen: number;
}

export interface TrainHistory {
  steps: StepRecord[];
  evals: EvalRecord[];
}

/** Everything needed to continue a run: the loop's whole state on the host. */
export interface Checkpoint {
  progress: TrainProgress;
  settings: TrainSettings;
  params: Record<string, { shape: number[]; data: Float32Array }>;
  optimizer: AdamState;
  history: TrainHistory;
}

/**
 * The run as the loop keeps it: position, history, the last kept checkpoint and the training clock
 * (pauses excluded). The one copy of run state: callers read it (progress messages, an export),
 * only the loop writes it.
 */
export class TrainState {
  readonly progress: TrainProgress;
  readonly history: TrainHistory;
  /** Where this session began: a resumed run's pace counts only the steps it ran itself. */
  readonly startStep: number;
  readonly startTokens: number;
  readonly startElapsedMs: number;
  /** The last checkpoint handed to onCheckpoint without an error (null: none yet). */
  lastCheckpointStep: number | null;
  /** When the clock last started; NaN while it is stopped (not started, paused, ended). */
  private runningSince = Number.NaN;

  constructor(resumeFrom?: Checkpoint) {
    this.progress = resumeFrom ? { ...resumeFrom.progress } : freshProgress();
    this.history = { steps: [...(resumeFrom?.history.steps ?? [])], evals: [...(resumeFrom?.history.evals ?? [])] };
    this.startStep = this.progress.step;
    this.startTokens = this.progress.tokensSeen;
    this.startElapsedMs = this.progress.elapsedMs;
    this.lastCheckpointStep = resumeFrom ? this.progress.step : null;
  }

  /** Training wall time over every session, up to now. */
  elapsedMs(): number {
    return this.progress.elapsedMs + (Number.isNaN(this.runningSince) ? 0 : performance.now() - this.runningSince);
  }

  startClock(): void {
    if (Number.isNaN(this.runningSince)) this.runningSince = performance.now();
  }

  stopClock(): void {
    this.progress.elapsedMs = this.elapsedMs();
    this.runningSince = Number.NaN;
  }
}

export type StopReason = 'finished' | 'early-stopped' | 'aborted' | 'max-steps';

export interface TrainResult {
  reason: StopReason;
  progress: TrainProgress;
  history: TrainHistory;
}

export interface TrainCallbacks {
  onStep?(record: StepRecord): void;
  onEval?(record: EvalRecord): void;
  /** Persist it (a file, IndexedDB). The loop awaits it; a throw is reported through onWarning. */
  onCheckpoint?(checkpoint: Checkpoint): Promise<void> | void;
  onWarning?(message: string): void;
  /** Awaited before every step: resolve at once to go on, later to pause. */
  pauseGate?(): Promise<void>;
}

export interface TrainOptions {
  network: NetworkConfig;
  params: Record<string, tf.Variable>;
  settings: TrainSettings;
  data: BatchSource;
  /** Validation loss and any other scores; called every evalIntervalSteps. */
  evaluate(step: number, epoch: number): Promise<Omit<EvalRecord, 'step' | 'epoch' | 'evalMs' | 'evalShare'>>;
  /** Skips evaluations due by the interval while they would take more than their share of the wall time. */
  evalBudget?: EvalBudget;
  callbacks?: TrainCallbacks;
  signal?: AbortSignal;
  resumeFrom?: Checkpoint;
  /** The run state to keep, for a caller that reads it while the loop runs; made from resumeFrom when absent. */
  state?: TrainState;
}

/** A loss or gradient that is NaN or infinite: the update was not applied. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly what: string,
    readonly lastCheckpointStep: number | null,
  ) {
    super(
      `training stopped at step ${step} (epoch ${epoch + 1}): the ${what} is not finite; the weights were not updated` +
        (lastCheckpointStep !== null ? ` and the last good checkpoint (step ${lastCheckpointStep}) is kept` : '') +
        '. Lower the learning rate or the gradient clip norm, then resume.',
    );
    this.name = 'NonFiniteLossError';
  }
}

export function freshProgress(): TrainProgress {
  return {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    bestValLoss: null,
    evalsWithoutImprovement: 0,
    elapsedMs: 0,
    tokensSeen: 0,
  };
}

async function snapshotParams(params: Record<string, tf.Variable>): Promise<Checkpoint['params']> {
  const out: Checkpoint['params'] = {};
  for (const [name, v] of Object.entries(params))
    out[name] = { shape: [...v.shape], data: (await v.data()) as Float32Array };
  return out;
}

export function restoreParams(params: Record<string, tf.Variable>, saved: Checkpoint['params']): void {
  for (const [name, v] of Object.entries(params)) {
    const s = saved[name];
    if (!s) throw new Error(`checkpoint has no parameter "${name}"`);
    if (s.shape.join(',') !== v.shape.join(','))
      throw new Error(`checkpoint parameter "${name}" has shape [${s.shape}], the model [${v.shape}]`);
    tf.tidy(() => v.assign(tf.tensor(s.data, s.shape)));
  }
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { params, settings, data, callbacks = {}, signal } = options;
  const adam = new Adam({ ...DEFAULT_ADAM, learningRate: settings.learningRate, clipNorm: settings.gradientClipNorm });
  const state = options.state ?? new TrainState(options.resumeFrom);
  const { progress, history } = state;
  if (options.resumeFrom) {
    restoreParams(params, options.resumeFrom.params);
    adam.setState(options.resumeFrom.optimizer, params);
  }
  state.startClock();
  const perEpoch = data.batchesPerEpoch();
  // The horizon is fixed now and kept in every checkpoint, so a resumed run (with any maxSteps)
  // follows the schedule of one that never stopped.
  const runSettings = { ...settings, plannedSteps: plannedStepsOf(settings, perEpoch) };

  const checkpoint = async (): Promise<void> => {
    if (!callbacks.onCheckpoint) return;
    const snapshot: Checkpoint = {
      progress: { ...progress, elapsedMs: state.elapsedMs() },
      settings: runSettings,
      params: await snapshotParams(params),
      optimizer: await adam.getState(),
      history: { steps: [...history.steps], evals: [...history.evals] },
    };
    try {
      await callbacks.onCheckpoint(snapshot);
      state.lastCheckpointStep = progress.step;
    } catch (error) {
      callbacks.onWarning?.(
        `checkpoint at step ${progress.step} was not saved: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  const runEval = async (): Promise<boolean> => {
    const started = performance.now();
    const measured = await options.evaluate(progress.step, progress.epoch);
    const record: EvalRecord = {
      ...measured,
      step: progress.step,
      epoch: progress.epoch,
      evalMs: performance.now() - started,
    };
    if (options.evalBudget) {
      options.evalBudget.record(record.evalMs);
      record.evalShare = options.evalBudget.share(state.elapsedMs());
    }
    history.evals.push(record);
    callbacks.onEval?.(record);
    if (progress.bestValLoss === null || record.valLoss < progress.bestValLoss) {
      progress.bestValLoss = record.valLoss;
      progress.evalsWithoutImprovement = 0;
    } else {
      progress.evalsWithoutImprovement += 1;
    }
    return settings.earlyStoppingPatience > 0 && progress.evalsWithoutImprovement >= settings.earlyStoppingPatience;
  };

  const finish = (reason: StopReason): TrainResult => {
    state.stopClock();
    adam.dispose();
    return { reason, progress: { ...progress }, history };
  };

  if (perEpoch === 0) throw new Error('the training data has no batches: add examples or lower the batch size');
  try {
    // One batch per turn; the epoch advances when its last batch is done.
    while (progress.epoch < settings.epochs) {
      if (signal?.aborted) {
        await checkpoint();
        return finish('aborted');
      }
      if (callbacks.pauseGate) {
        state.stopClock(); // a pause is not training time
        await callbacks.pauseGate();
        state.startClock();
        if (signal?.aborted) continue;
      }
      if (settings.maxSteps !== undefined && progress.step >= settings.maxSteps) {
        await checkpoint();
        return finish('max-steps');
      }
      const learningRate = learningRateAt(progress.step + 1, runSettings);
      const record = await trainStep(
        options,
        adam,
        progress,
        data.batch(progress.epoch, progress.batchInEpoch),
        state.lastCheckpointStep,
        learningRate,
      );
      progress.step += 1;
      progress.batchInEpoch += 1;
      progress.tokensSeen += record.tokens;
      history.steps.push(record);
      callbacks.onStep?.(record);
      const endOfEpoch = progress.batchInEpoch === perEpoch;
      if (endOfEpoch) {
        progress.epoch += 1;
        progress.batchInEpoch = 0;
      }
      const evalDue =
        (settings.evalIntervalSteps > 0 && progress.step % settings.evalIntervalSteps === 0) || endOfEpoch;
      const evalAllowed = evalDue && (options.evalBudget?.allows(state.elapsedMs()) ?? true);
      const stopEarly = evalAllowed ? await runEval() : false;
      if (settings.checkpointIntervalSteps > 0 && progress.step % settings.checkpointIntervalSteps === 0)
        await checkpoint();
      if (stopEarly) {
        await checkpoint();
        return finish('early-stopped');
      }
    }
    await checkpoint();
    return finish('finished');
  } catch (error) {
    state.stopClock();
    adam.dispose();
    throw error;
  }
}

async function trainStep(
  options: TrainOptions,
  adam: Adam,
  progress: TrainProgress,
  host: HostBatch,
  lastCheckpointStep: number | null,
  learningRate: number,
): Promise<StepRecord> {
  const started = performance.now();
  const step = progress.step + 1;
  const dropoutSeed = deriveSeed(options.settings.seed, `dropout-step-${step}`);
  let lossValue: number, accuracyValue: number, normValue: number;
  // Whatever throws in a step (a kernel, the device, a loss that is not finite), its tensors go.
  const batch = toTensorBatch(host);
  try {
    const { loss, accuracy, grads } = lossAndGrads(options.network, options.params, batch, {
      training: true,
      dropoutSeed,
    });
    const held: tf.Tensor[] = [loss, accuracy, ...Object.values(grads)];
    try {
      const norm = Adam.globalNorm(grads);
      held.push(norm);
      // One read-back per step: loss, accuracy and gradient norm together.
      const read = tf.tidy(() => tf.stack([loss, accuracy, norm]));
      held.push(read);
      [lossValue, accuracyValue, normValue] = Array.from(await read.data()) as [number, number, number];
      if (!Number.isFinite(lossValue))
        throw new NonFiniteLossError(step, progress.epoch, `loss (${lossValue})`, lastCheckpointStep);
      if (!Number.isFinite(normValue))
        throw new NonFiniteLossError(step, progress.epoch, `gradient norm (${normValue})`, lastCheckpointStep);
      adam.apply(options.params, grads, normValue, learningRate);
    } finally {
      tf.dispose(held);
    }
  } finally {
    disposeBatch(batch);
  }
  const stepMs = performance.now() - started;
  const tokens = realTokens(host);
  return {
    step,
    epoch: progress.epoch,
    loss: lossValue,
    accuracy: accuracyValue,
    gradNorm: normValue,
    tokens,
    stepMs,
    tokensPerSecond: (tokens * 1000) / stepMs,
  };
}
