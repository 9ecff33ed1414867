// One fine-tuning run inside the training worker: builds the model (from scratch, from the shipped
// files, or from a checkpoint), wires the CLI's training loop (src/train/loop.ts) to the worker's
// messages, and holds the pause gate, the stop signal and the metric throttle. Run state (step,
// tokens, clock, history) is the loop's TrainState: this file only reads it. The page gets small
// deltas at most every FLUSH_INTERVAL_MS (chart rows every CHART_INTERVAL_MS), never the history.
import * as tf from '@tensorflow/tfjs-core';
import {
  parseModelConfig,
  presetConfig,
  stringifyModelConfig,
  type ModelConfig,
  networkFromConfig,
  readModelFiles,
  countParams,
  disposeParams,
  initParams,
  type NetworkConfig,
  Vocabulary,
} from '../model';
import { HeldoutMeasure } from './adapt-measure';
import { encodeExample, makeBatchSource, makeBatches, type EncodedIds } from '../data/batching';
import type { Example } from '../data/examples';
import { tokenCounts } from '../data/vocab-sizing';
import { readCheckpoint, writeCheckpoint } from '../train/checkpoint-file';
import { thinSteps } from '../train/metrics-file';
import {
  restoreParams,
  train,
  TrainState,
  trainSettingsFromConfig,
  type Checkpoint,
  type EvalRecord,
  type TrainResult,
  type TrainSettings,
} from '../train/loop';
import { makeTrainingEvaluator } from '../train/training-eval';
import { EvalBudget } from '../train/eval-budget';
import { fetchModelFiles } from './model-fetch';
import type { PreparedData } from './training-data';
import { exportRun, type RunRecord } from './training-export';
import type {
  MemorySample,
  MetricsDelta,
  ProgressSnapshot,
  RunInfo,
  RunSettings,
  RunState,
  StartOptions,
  StepRow,
} from './training-protocol';

/** At most ~5 metric messages a second, whatever the step rate. */
const FLUSH_INTERVAL_MS = 200;
/**
 * Chart rows at most once a second (the step counter follows every message): drawing four recharts
 * charts five times a second held the page's main thread too long (measured: docs/kernels-and-bench.md, "Measurements behind the code").
 */
const CHART_INTERVAL_MS = 1000;
/** Points of the saved history sent when a run resumes (the charts keep ~500 per series). */
const RESUME_HISTORY_POINTS = 500;
/** Validation batches per evaluation, as the CLI's default. */
const VAL_BATCHES = 20;
/** Steps the steady pace is measured over. */
const RECENT_STEPS = 20;
/** Steps after which tf.memory() is recorded: the two must match (no tensor leak). */
const MEMORY_MARK_STEPS = [10, 100];

export interface SessionHooks {
  metrics(delta: MetricsDelta): void;
  state(state: RunState, step: number): void;
  /** Stores the checkpoint; the loop waits for it. */
  checkpoint(step: number, epoch: number, bytes: Uint8Array): Promise<void>;
  warning(message: string): void;
}

interface ModelSetup {
  config: ModelConfig;
  vocab: Vocabulary;
  origin: string;
  settings: RunSettings;
  resumeFrom?: Checkpoint;
  /** Host weights to start from (the shipped model). */
  initial?: Checkpoint['params'];
  /** The shipped model's optional name files, carried into the exported model. */
  nameFiles?: { identifiers?: string; members?: string };
}

/** A message port that answers at once: lets the worker read its messages between steps (wasm's reads resolve as microtasks). */
const yieldChannel = new MessageChannel();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => resolve();
    yieldChannel.port2.postMessage(null);
  });
}

/** The page's settings into the config's [training] table: the written config says how the model was trained. */
function writeTrainingConfig(config: ModelConfig, s: RunSettings): void {
  Object.assign(config.training, {
    epochs: s.epochs,
    learning_rate: s.learningRate,
    batch_size: s.batchSize,
    gradient_clip_norm: s.gradientClipNorm,
    early_stopping_patience: s.earlyStoppingPatience,
    eval_interval_steps: s.evalIntervalSteps,
    checkpoint_interval_steps: s.checkpointIntervalSteps,
    seed: s.seed,
  });
}

/** Best finite validation loss so far (an evaluation without validation data measures NaN). */
function bestValLoss(evals: readonly EvalRecord[]): number | null {
  const losses = evals.map((e) => e.valLoss).filter(Number.isFinite);
  return losses.length > 0 ? Math.min(...losses) : null;
}

const toStepRow = ({ step, loss, tokensPerSecond }: StepRow): StepRow => ({ step, loss, tokensPerSecond });

/** The model, vocabulary and settings the run starts from. */
async function setUpModel(data: PreparedData, options: StartOptions, saved: ArrayBuffer | null): Promise<ModelSetup> {
  if (saved) {
    const { checkpoint, metadata } = readCheckpoint(new Uint8Array(saved), 'the saved checkpoint');
    const config = parseModelConfig(metadata['model_config'] ?? '', 'the checkpoint (model_config)').config;
    const vocab = Vocabulary.fromJSON(metadata['tokenizer'] ?? '');
    const settings = JSON.parse(metadata['run_settings'] ?? 'null') as RunSettings | null;
    if (!settings)
      throw new Error('the saved checkpoint records no run settings: it was not written by this page; start a new run');
    return { config, vocab, settings, origin: metadata['origin'] ?? 'a checkpoint', resumeFrom: checkpoint };
  }
  if (options.model.kind === 'shipped') {
    const fetched = await fetchModelFiles(options.model.modelsUrl, false, () => {});
    const host = readModelFiles(fetched.files);
    return {
      config: host.config,
      vocab: host.vocab,
      settings: options.settings,
      origin: `the shipped model (${host.config.model.name} ${host.config.model.version})`,
      initial: Object.fromEntries(host.tensors),
      nameFiles: { identifiers: fetched.files.identifiers, members: fetched.files.members },
    };
  }
  const config = presetConfig(options.model.preset);
  const texts = data.train.flatMap((e) => [{ text: e.input }, { text: e.target }]);
  const vocab = Vocabulary.build(tokenCounts(texts), config.architecture.vocab_size);
  config.architecture.vocab_size = vocab.size;
  config.model.description = `${config.model.description} Fine-tuned in the browser from scratch.`;
  return { config, vocab, settings: options.settings, origin: `${options.model.preset} preset, from scratch` };
}

function encodeAll(
  examples: readonly Example[],
  vocab: Vocabulary,
): { encoded: EncodedIds[]; kept: Example[]; skipped: number } {
  const encoded: EncodedIds[] = [];
  const kept: Example[] = [];
  for (const example of examples) {
    try {
      encoded.push(encodeExample(example, vocab));
      kept.push(example);
    } catch {
      // counted below: an example the task format cannot encode
    }
  }
  return { encoded, kept, skipped: examples.length - encoded.length };
}

export class TrainingSession {
  readonly info: RunInfo;
  /** The loop's run state: step, tokens, clock, history, last checkpoint. */
  private readonly state: TrainState;
  private readonly controller = new AbortController();
  private paused = false;
  private wake: (() => void) | null = null;
  private pendingSteps: StepRow[] = [];
  private pendingEvals: EvalRecord[] = [];
  private memoryMarks: MemorySample[] = [];
  private lastFlush = 0;
  private lastRows = 0;
  private replaceNext: boolean;
  private result: TrainResult | null = null;
  /** "Your code": measures the held-out classes (null for other data). */
  private heldout: HeldoutMeasure | null = null;

  private constructor(
    private readonly setup: ModelSetup,
    private readonly loopSettings: TrainSettings,
    private readonly network: NetworkConfig,
    private readonly params: Record<string, tf.Variable>,
    private readonly data: PreparedData,
    private readonly encodedTrain: EncodedIds[],
    private readonly valSample: Example[],
    private readonly valEncoded: EncodedIds[],
    private readonly hooks: SessionHooks,
    info: RunInfo,
  ) {
    this.info = info;
    this.state = new TrainState(setup.resumeFrom);
    this.replaceNext = setup.resumeFrom !== undefined;
  }

  /** `saved`: the checkpoint bytes to resume from (null: a new run). */
  static async create(
    data: PreparedData,
    options: StartOptions,
    saved: ArrayBuffer | null,
    backend: string,
    hooks: SessionHooks,
  ): Promise<TrainingSession> {
    const setup = await setUpModel(data, options, saved);
    const s = setup.settings;
    writeTrainingConfig(setup.config, s);
    const loopSettings =
      setup.resumeFrom?.settings ?? trainSettingsFromConfig(setup.config.training, s.maxSteps ?? undefined);
    const train = encodeAll(data.train, setup.vocab);
    const val = encodeAll(data.val, setup.vocab);
    if (train.encoded.length === 0)
      throw new Error(`none of the ${data.train.length} training examples can be encoded for this model`);
    const network = networkFromConfig(setup.config);
    const params = initParams(network, s.seed);
    if (setup.initial) restoreParams(params, setup.initial);
    const batchesPerEpoch = Math.ceil(train.encoded.length / s.batchSize);
    const startStep = setup.resumeFrom?.progress.step ?? 0;
    const info: RunInfo = {
      backend,
      modelName: setup.config.model.name,
      origin: setup.origin,
      parameters: countParams(network),
      vocabSize: setup.vocab.size,
      batchesPerEpoch,
      totalSteps: Math.min(s.maxSteps ?? Number.POSITIVE_INFINITY, s.epochs * batchesPerEpoch),
      startStep,
      resumed: setup.resumeFrom !== undefined,
      trainExamples: train.encoded.length,
      valExamples: val.encoded.length,
      skippedExamples: train.skipped + val.skipped,
      settings: s,
    };
    return new TrainingSession(
      setup,
      loopSettings,
      network,
      params,
      data,
      train.encoded,
      val.kept.slice(0, s.evalSampleSize),
      val.encoded,
      hooks,
      info,
    );
  }

  /** Runs the loop to its end; throws NonFiniteLossError and anything else the loop throws. */
  async run(): Promise<TrainResult> {
    const s = this.setup.settings;
    const data = makeBatchSource(this.encodedTrain, { batchSize: s.batchSize, seed: s.seed });
    const valBatches = makeBatches(this.valEncoded, { batchSize: s.batchSize, seed: 1, shuffle: false }).slice(
      0,
      VAL_BATCHES,
    );
    const evaluator = makeTrainingEvaluator({
      config: this.setup.config,
      network: this.network,
      params: this.params,
      vocab: this.setup.vocab,
      valBatches,
      sample: this.valSample,
      bestSoFar: this.setup.resumeFrom?.progress.bestValLoss ?? null,
    });
    if (this.replaceNext) this.flush(true);
    const heldout = this.data.heldout
      ? new HeldoutMeasure(
          { config: this.setup.config, network: this.network, vocab: this.setup.vocab, params: this.params },
          this.data.heldout,
          this.controller.signal,
          () => this.flush(false),
        )
      : null;
    this.heldout = heldout;
    // A resumed run has its "before" in the saved history already.
    const before = heldout && !this.info.resumed ? await heldout.before() : null;
    if (before) {
      // Kept in the loop's history, so checkpoints and the exported metrics carry it.
      this.state.history.evals.push(before);
      this.pendingEvals.push(before);
      this.flush(true);
    }
    try {
      const result = await train({
        network: this.network,
        params: this.params,
        settings: this.loopSettings,
        data,
        resumeFrom: this.setup.resumeFrom,
        state: this.state,
        signal: this.controller.signal,
        evalBudget: s.evalShare ? new EvalBudget(s.evalShare) : undefined,
        evaluate: async () => {
          const measured: Omit<EvalRecord, 'step' | 'epoch' | 'evalMs' | 'evalShare'> =
            valBatches.length > 0
              ? await evaluator.evaluate()
              : { valLoss: Number.NaN, valTokenAccuracy: Number.NaN, scores: {} };
          if (!heldout) return measured;
          const classes = await heldout.measure(false);
          return {
            ...measured,
            scores: { ...measured.scores, ...classes.scores },
            counts: { ...measured.counts, ...classes.counts },
          };
        },
        callbacks: {
          onStep: (record) => this.onStep(record),
          onEval: (record) => {
            this.pendingEvals.push(record);
            this.flush(false);
          },
          onCheckpoint: (checkpoint) => this.saveCheckpoint(checkpoint),
          onWarning: (message) => this.hooks.warning(message),
          pauseGate: () => this.gate(),
        },
      });
      this.result = result;
      return result;
    } finally {
      this.flush(true);
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
    this.wake = null;
  }

  stop(): void {
    this.controller.abort();
    this.resume();
  }

  /** Test hook: NaN weights, so the next step's loss is not finite. */
  poisonWeights(): void {
    const first = Object.values(this.params)[0];
    if (first) tf.tidy(() => first.assign(tf.fill(first.shape, Number.NaN)));
  }

  /** The model files (docs/design.md#model-files) of the weights as they are now (paused or ended). */
  async exportFiles() {
    const { progress, history } = this.state;
    const record: RunRecord = {
      config: this.setup.config,
      vocab: this.setup.vocab,
      params: this.params,
      network: this.network,
      settings: this.setup.settings,
      loopSettings: this.loopSettings,
      history,
      stopReason: this.result?.reason ?? (this.paused ? 'paused' : 'running'),
      step: progress.step,
      epochsCompleted: Math.floor(progress.step / this.info.batchesPerEpoch),
      elapsedMs: this.state.elapsedMs(),
      tokensSeen: progress.tokensSeen,
      bestValLoss: bestValLoss(history.evals),
      backend: this.info.backend,
      dataset: { ...this.data.summary, origin: this.setup.origin },
      nameFiles: this.setup.nameFiles,
    };
    return exportRun(record);
  }

  dispose(): void {
    this.stop();
    disposeParams(this.params);
  }

  private onStep(record: StepRow): void {
    this.pendingSteps.push(toStepRow(record));
    if (MEMORY_MARK_STEPS.includes(record.step)) this.memoryMarks.push(this.memorySample());
    this.flush(this.memoryMarks.length > 0);
  }

  private async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const bytes = writeCheckpoint(checkpoint, {
      model_config: stringifyModelConfig(this.setup.config),
      tokenizer: JSON.stringify(this.setup.vocab.toJSON()),
      run_settings: JSON.stringify(this.setup.settings),
      origin: this.setup.origin,
    });
    await this.hooks.checkpoint(checkpoint.progress.step, checkpoint.progress.epoch, bytes);
  }

  get lastCheckpoint(): number | null {
    return this.state.lastCheckpointStep;
  }

  /** Before every step (the loop's clock is stopped): let messages in, then wait while paused. */
  private async gate(): Promise<void> {
    await yieldToEvents();
    if (!this.paused || this.controller.signal.aborted) return;
    const step = this.state.progress.step;
    this.flush(true);
    this.hooks.state('paused', step);
    await new Promise<void>((resolve) => (this.wake = resolve));
    if (!this.controller.signal.aborted) this.hooks.state('running', step);
  }

  private memorySample(): MemorySample {
    const m = tf.memory();
    return { step: this.state.progress.step, numTensors: m.numTensors, numBytes: m.numBytes };
  }

  /** A view of the loop's run state for the page; nothing here is kept apart from it. */
  private progress(): ProgressSnapshot {
    const run = this.state;
    const { step, tokensSeen } = run.progress;
    const elapsedMs = run.elapsedMs();
    const sessionMs = elapsedMs - run.startElapsedMs;
    const sessionSteps = step - run.startStep;
    const perStep = sessionSteps > 0 ? sessionMs / sessionSteps : null;
    const remaining = Math.max(0, this.info.totalSteps - step);
    return {
      step,
      epoch: Math.min(this.info.settings.epochs - 1, Math.floor(step / this.info.batchesPerEpoch)),
      totalSteps: this.info.totalSteps,
      epochs: this.info.settings.epochs,
      batchesPerEpoch: this.info.batchesPerEpoch,
      elapsedMs,
      tokensSeen,
      bestValLoss: bestValLoss(run.history.evals),
      etaMs: perStep === null ? null : remaining * perStep,
      stepsPerSecond: perStep === null ? null : 1000 / perStep,
      tokensPerSecond: sessionMs > 0 && sessionSteps > 0 ? ((tokensSeen - run.startTokens) * 1000) / sessionMs : null,
      ...this.recentPace(sessionSteps),
    };
  }

  /** This session's last steps only: a resumed history's steps ran elsewhere. */
  private recentPace(sessionSteps: number): Pick<ProgressSnapshot, 'recentStepMs' | 'recentTokensPerSecond'> {
    const recent = this.state.history.steps.slice(-Math.min(RECENT_STEPS, sessionSteps));
    if (recent.length === 0) return { recentStepMs: null, recentTokensPerSecond: null };
    const times = recent.map((s) => s.stepMs).sort((a, b) => a - b);
    const totalMs = recent.reduce((sum, s) => sum + s.stepMs, 0);
    return {
      recentStepMs: times[Math.floor(times.length / 2)]!,
      recentTokensPerSecond: (recent.reduce((sum, s) => sum + s.tokens, 0) * 1000) / totalMs,
    };
  }

  /**
   * The one metric throttle: posts progress unless the last post was under FLUSH_INTERVAL_MS ago, and
   * the pending chart rows with it when the last rows went out CHART_INTERVAL_MS ago or more
   * (`force`, on a pause and at the end, posts everything).
   */
  private flush(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastFlush < FLUSH_INTERVAL_MS) return;
    this.lastFlush = now;
    const rowsDue = force || this.replaceNext || now - this.lastRows >= CHART_INTERVAL_MS;
    let steps: StepRow[] = [];
    let evals: EvalRecord[] = [];
    if (this.replaceNext) {
      // A resumed run: the charts restart from a thinned copy of the saved history.
      steps = thinSteps(this.state.history.steps, RESUME_HISTORY_POINTS).map(toStepRow);
      evals = thinSteps(this.state.history.evals, RESUME_HISTORY_POINTS);
    } else if (rowsDue) {
      steps = this.pendingSteps;
      evals = this.pendingEvals;
    }
    if (rowsDue) {
      this.lastRows = now;
      this.pendingSteps = [];
      this.pendingEvals = [];
    }
    this.hooks.metrics({
      replace: this.replaceNext,
      steps,
      evals,
      progress: this.progress(),
      memory: this.memorySample(),
      memoryMarks: this.memoryMarks,
      measuring: this.heldout?.current ?? null,
    });
    this.replaceNext = false;
    this.memoryMarks = [];
  }
}
