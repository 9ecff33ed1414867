// One fine-tuning run inside the training worker: builds the model (from scratch, from the shipped
// files, or from a checkpoint), wires the CLI's training loop (src/train/loop.ts) to the worker's
// messages, and holds the pause gate, the stop signal and the metric throttle. The page gets small
// deltas at most every FLUSH_INTERVAL_MS, never the whole history.
import * as tf from '@tensorflow/tfjs-core';
import { parseModelConfig, presetConfig, stringifyModelConfig, type ModelConfig } from '../model/config';
import { networkFromConfig, readModelFiles } from '../model/model-files';
import { countParams, disposeParams, initParams, type NetworkConfig } from '../model/seq2seq';
import { Vocabulary } from '../model/vocab';
import { encodeExample, makeBatchSource, makeBatches, type EncodedIds } from '../data/batching';
import type { Example } from '../data/examples';
import { tokenCounts } from '../data/vocab-sizing';
import { readCheckpoint, writeCheckpoint } from '../train/checkpoint-file';
import { thinSteps } from '../train/metrics-file';
import { restoreParams, train, type Checkpoint, type EvalRecord, type StepRecord, type TrainResult, type TrainSettings } from '../train/loop';
import { makeTrainingEvaluator } from '../train/training-eval';
import { fetchModelFiles } from './model-fetch';
import type { PreparedData } from './training-data';
import { exportRun, type RunRecord } from './training-export';
import type { MemorySample, MetricsDelta, ProgressSnapshot, RunInfo, RunSettings, RunState, StartOptions, StepPoint } from './training-protocol';

/** At most ~5 metric messages a second, whatever the step rate. */
const FLUSH_INTERVAL_MS = 200;
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
  checkpoint(step: number, epoch: number, bytes: Uint8Array): void;
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
}

/** A message port that answers at once: lets the worker read its messages between steps (wasm's reads resolve as microtasks). */
const yieldChannel = new MessageChannel();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => resolve();
    yieldChannel.port2.postMessage(null);
  });
}

function loopSettings(s: RunSettings): TrainSettings {
  const settings: TrainSettings = {
    epochs: s.epochs, learningRate: s.learningRate, gradientClipNorm: s.gradientClipNorm, earlyStoppingPatience: s.earlyStoppingPatience,
    evalIntervalSteps: s.evalIntervalSteps, checkpointIntervalSteps: s.checkpointIntervalSteps, seed: s.seed,
  };
  if (s.maxSteps !== null) settings.maxSteps = s.maxSteps;
  return settings;
}

/** The model, vocabulary and settings the run starts from. */
async function setUpModel(data: PreparedData, options: StartOptions): Promise<ModelSetup> {
  if (options.resumeFrom) {
    const { checkpoint, metadata } = readCheckpoint(new Uint8Array(options.resumeFrom), 'the saved checkpoint');
    const config = parseModelConfig(metadata['model_config'] ?? '', 'the checkpoint (model_config)').config;
    const vocab = Vocabulary.fromJSON(metadata['tokenizer'] ?? '');
    const settings = JSON.parse(metadata['run_settings'] ?? 'null') as RunSettings | null;
    if (!settings) throw new Error('the saved checkpoint records no run settings: it was not written by this page; start a new run');
    return { config, vocab, settings, origin: metadata['origin'] ?? 'a checkpoint', resumeFrom: checkpoint };
  }
  if (options.model.kind === 'shipped') {
    const fetched = await fetchModelFiles(options.model.modelsUrl, false, () => {});
    const host = readModelFiles(fetched.files);
    return { config: host.config, vocab: host.vocab, settings: options.settings, origin: `the shipped model (${host.config.model.name} ${host.config.model.version})`, initial: Object.fromEntries(host.tensors) };
  }
  const config = presetConfig(options.model.preset);
  const texts = data.train.flatMap((e) => [{ text: e.input }, { text: e.target }]);
  const vocab = Vocabulary.build(tokenCounts(texts), config.architecture.vocab_size);
  config.architecture.vocab_size = vocab.size;
  config.model.description = `${config.model.description} Fine-tuned in the browser from scratch.`;
  return { config, vocab, settings: options.settings, origin: `${options.model.preset} preset, from scratch` };
}

function encodeAll(examples: readonly Example[], vocab: Vocabulary): { encoded: EncodedIds[]; kept: Example[]; skipped: number } {
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
  private readonly controller = new AbortController();
  private paused = false;
  private wake: (() => void) | null = null;
  private readonly history: { steps: StepRecord[]; evals: EvalRecord[] };
  private pendingSteps: StepPoint[] = [];
  private pendingEvals: EvalRecord[] = [];
  private memoryMarks: MemorySample[] = [];
  private lastFlush = 0;
  private replaceNext: boolean;
  private step: number;
  private tokensSeen: number;
  private readonly baseElapsedMs: number;
  private activeMs = 0;
  private activeSince = performance.now();
  private sessionSteps = 0;
  private sessionTokens = 0;
  private result: TrainResult | null = null;
  private lastCheckpointStep: number | null;

  private constructor(
    private readonly setup: ModelSetup,
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
    const saved = setup.resumeFrom;
    this.history = { steps: saved ? [...saved.history.steps] : [], evals: saved ? [...saved.history.evals] : [] };
    this.step = saved?.progress.step ?? 0;
    this.tokensSeen = saved?.progress.tokensSeen ?? 0;
    this.baseElapsedMs = saved?.progress.elapsedMs ?? 0;
    this.lastCheckpointStep = saved ? this.step : null;
    this.replaceNext = saved !== undefined;
  }

  static async create(data: PreparedData, options: StartOptions, backend: string, hooks: SessionHooks): Promise<TrainingSession> {
    const setup = await setUpModel(data, options);
    const s = setup.settings;
    // The written config says how this model was trained.
    Object.assign(setup.config.training, {
      epochs: s.epochs, learning_rate: s.learningRate, batch_size: s.batchSize, gradient_clip_norm: s.gradientClipNorm,
      early_stopping_patience: s.earlyStoppingPatience, eval_interval_steps: s.evalIntervalSteps, checkpoint_interval_steps: s.checkpointIntervalSteps, seed: s.seed,
    });
    const train = encodeAll(data.train, setup.vocab);
    const val = encodeAll(data.val, setup.vocab);
    if (train.encoded.length === 0) throw new Error(`none of the ${data.train.length} training examples can be encoded for this model`);
    const network = networkFromConfig(setup.config);
    const params = initParams(network, s.seed);
    if (setup.initial) restoreParams(params, setup.initial);
    const batchesPerEpoch = Math.ceil(train.encoded.length / s.batchSize);
    const startStep = setup.resumeFrom?.progress.step ?? 0;
    const info: RunInfo = {
      backend, modelName: setup.config.model.name, origin: setup.origin, parameters: countParams(network), vocabSize: setup.vocab.size,
      batchesPerEpoch, totalSteps: Math.min(s.maxSteps ?? Number.POSITIVE_INFINITY, s.epochs * batchesPerEpoch), startStep,
      resumed: setup.resumeFrom !== undefined, trainExamples: train.encoded.length, valExamples: val.encoded.length,
      skippedExamples: train.skipped + val.skipped, settings: s,
    };
    return new TrainingSession(setup, network, params, data, train.encoded, val.kept.slice(0, s.evalSampleSize), val.encoded, hooks, info);
  }

  /** Runs the loop to its end; throws NonFiniteLossError and anything else the loop throws. */
  async run(): Promise<TrainResult> {
    const s = this.setup.settings;
    const data = makeBatchSource(this.encodedTrain, { batchSize: s.batchSize, seed: s.seed });
    const valBatches = makeBatches(this.valEncoded, { batchSize: s.batchSize, seed: 1, shuffle: false }).slice(0, VAL_BATCHES);
    const evaluator = makeTrainingEvaluator({
      config: this.setup.config, network: this.network, params: this.params, vocab: this.setup.vocab, valBatches,
      sample: this.valSample, bestSoFar: this.setup.resumeFrom?.progress.bestValLoss ?? null,
    });
    if (this.replaceNext) this.flush(true);
    this.activeSince = performance.now();
    try {
      const result = await train({
        network: this.network, params: this.params, settings: this.setup.resumeFrom?.settings ?? loopSettings(s), data,
        resumeFrom: this.setup.resumeFrom, signal: this.controller.signal,
        evaluate: async () => (valBatches.length > 0 ? evaluator.evaluate() : { valLoss: Number.NaN, valTokenAccuracy: Number.NaN, scores: {} }),
        callbacks: {
          onStep: (record) => this.onStep(record),
          onEval: (record) => {
            this.history.evals.push(record);
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
      if (Number.isFinite(this.activeSince)) this.activeMs += performance.now() - this.activeSince;
      this.activeSince = Number.NaN;
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

  /** The section-3 files of the weights as they are now (paused or ended). */
  async exportFiles() {
    const record: RunRecord = {
      config: this.setup.config, vocab: this.setup.vocab, params: this.params, network: this.network, settings: this.setup.settings,
      loopSettings: this.setup.resumeFrom?.settings ?? loopSettings(this.setup.settings), history: this.history,
      stopReason: this.result?.reason ?? (this.paused ? 'paused' : 'running'), step: this.step,
      epochsCompleted: Math.floor(this.step / this.info.batchesPerEpoch), elapsedMs: this.elapsed(), tokensSeen: this.tokensSeen,
      bestValLoss: this.bestValLoss(), backend: this.info.backend, dataset: { ...this.data.summary, origin: this.setup.origin },
    };
    return exportRun(record);
  }

  dispose(): void {
    this.stop();
    disposeParams(this.params);
  }

  private onStep(record: StepRecord): void {
    this.history.steps.push(record);
    this.step = record.step;
    this.tokensSeen += record.tokens;
    this.sessionSteps += 1;
    this.sessionTokens += record.tokens;
    const { step, epoch, loss, accuracy, tokensPerSecond, stepMs } = record;
    this.pendingSteps.push({ step, epoch, loss, accuracy, tokensPerSecond, stepMs });
    if (MEMORY_MARK_STEPS.includes(step)) this.memoryMarks.push(this.memorySample());
    this.flush(this.memoryMarks.length > 0);
  }

  private async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const bytes = writeCheckpoint(checkpoint, {
      model_config: stringifyModelConfig(this.setup.config),
      tokenizer: JSON.stringify(this.setup.vocab.toJSON()),
      run_settings: JSON.stringify(this.setup.settings),
      origin: this.setup.origin,
    });
    this.lastCheckpointStep = checkpoint.progress.step;
    this.hooks.checkpoint(checkpoint.progress.step, checkpoint.progress.epoch, bytes);
  }

  get lastCheckpoint(): number | null {
    return this.lastCheckpointStep;
  }

  /** Before every step: let messages in, then wait while paused (a pause is not training time). */
  private async gate(): Promise<void> {
    await yieldToEvents();
    if (!this.paused || this.controller.signal.aborted) return;
    this.activeMs += performance.now() - this.activeSince;
    this.activeSince = Number.NaN; // the clock stops while paused
    this.flush(true);
    this.hooks.state('paused', this.step);
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.activeSince = performance.now();
    if (!this.controller.signal.aborted) this.hooks.state('running', this.step);
  }

  private elapsed(): number {
    const running = Number.isFinite(this.activeSince) ? performance.now() - this.activeSince : 0;
    return this.baseElapsedMs + this.activeMs + running;
  }

  private bestValLoss(): number | null {
    const losses = this.history.evals.map((e) => e.valLoss).filter(Number.isFinite);
    return losses.length > 0 ? Math.min(...losses) : null;
  }

  private memorySample(): MemorySample {
    const m = tf.memory();
    return { step: this.step, numTensors: m.numTensors, numBytes: m.numBytes };
  }

  private progress(): ProgressSnapshot {
    const sessionMs = this.elapsed() - this.baseElapsedMs;
    const perStep = this.sessionSteps > 0 ? sessionMs / this.sessionSteps : null;
    const remaining = Math.max(0, this.info.totalSteps - this.step);
    return {
      step: this.step, epoch: Math.min(this.info.settings.epochs - 1, Math.floor(this.step / this.info.batchesPerEpoch)),
      totalSteps: this.info.totalSteps, epochs: this.info.settings.epochs, batchesPerEpoch: this.info.batchesPerEpoch,
      elapsedMs: this.elapsed(), tokensSeen: this.tokensSeen, bestValLoss: this.bestValLoss(),
      etaMs: perStep === null ? null : remaining * perStep,
      stepsPerSecond: perStep === null ? null : 1000 / perStep,
      tokensPerSecond: sessionMs > 0 && this.sessionSteps > 0 ? (this.sessionTokens * 1000) / sessionMs : null,
      ...this.recentPace(),
    };
  }

  /** This session's last steps only: a resumed history's steps ran elsewhere. */
  private recentPace(): Pick<ProgressSnapshot, 'recentStepMs' | 'recentTokensPerSecond'> {
    const recent = this.history.steps.slice(-Math.min(RECENT_STEPS, this.sessionSteps));
    if (recent.length === 0) return { recentStepMs: null, recentTokensPerSecond: null };
    const times = recent.map((s) => s.stepMs).sort((a, b) => a - b);
    const totalMs = recent.reduce((sum, s) => sum + s.stepMs, 0);
    return { recentStepMs: times[Math.floor(times.length / 2)]!, recentTokensPerSecond: (recent.reduce((sum, s) => sum + s.tokens, 0) * 1000) / totalMs };
  }

  /** Posts what is pending, unless the last post was under FLUSH_INTERVAL_MS ago (`force` posts anyway). */
  private flush(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastFlush < FLUSH_INTERVAL_MS) return;
    this.lastFlush = now;
    let steps = this.pendingSteps;
    let evals = this.pendingEvals;
    if (this.replaceNext) {
      // A resumed run: the charts restart from a thinned copy of the saved history.
      steps = thinSteps(this.history.steps, RESUME_HISTORY_POINTS).map(({ step, epoch, loss, accuracy, tokensPerSecond, stepMs }) => ({ step, epoch, loss, accuracy, tokensPerSecond, stepMs }));
      evals = thinSteps(this.history.evals, RESUME_HISTORY_POINTS);
    }
    this.hooks.metrics({ replace: this.replaceNext, steps, evals, progress: this.progress(), memory: this.memorySample(), memoryMarks: this.memoryMarks });
    this.replaceNext = false;
    this.pendingSteps = [];
    this.pendingEvals = [];
    this.memoryMarks = [];
  }
}
