// The messages between the page and the training worker: one discriminated union per direction,
// each payload tied to its `type`, both sides handle them with an exhaustive switch. Requests carry
// an id and get exactly one answer with that id ('done', a typed result, or 'error'); what the run
// reports on its own (metrics, state, checkpoints, the end) carries `id: null`.
import type { SkippedFile, SkipReason } from '../data/adapt-files';
import type { BackendReport } from '../platform/shared/select';
import type { EvalRecord, StepRecord, StopReason } from '../train/loop';
import type { WorkerFault } from './device-faults';
import type { WireError } from './protocol';

export interface SourceFile {
  /** The file's name or its path inside a chosen folder (webkitRelativePath). */
  name: string;
  text: string;
}

/**
 * "Your code": the user's Python, to adapt on and measure (src/data/adapt-files.ts, adapt-examples.ts).
 * The page lists and chooses the files (selectFiles) and reads the chosen ones; the worker checks
 * and splits them. What the page skipped travels along, so the summary and refusals count it.
 */
export interface AdaptSource {
  kind: 'adapt';
  /** The .py files the page chose and read (path inside the folder as `name`). */
  files: SourceFile[];
  /** The folder's name or "the chosen files": refusals name it. */
  where: string;
  /** Files the page looked at, of any kind. */
  listed: number;
  /** Skipped before reading: skipped folders, symbolic links, size, the file limit. */
  skipped: SkippedFile[];
  /** Skipped folders not walked into (the File System Access API walk); their files are not counted. */
  skippedFolders: string[];
  notPython: number;
  /** Held-out examples wanted per class (fewer where the code does not allow as many). */
  perClass: number;
}

/** Where the examples come from. */
export type DataSource =
  | { kind: 'builtin'; functions: number }
  | { kind: 'python'; files: SourceFile[] }
  | { kind: 'jsonl'; files: SourceFile[] }
  | AdaptSource;

/** What the worker made of "your code": the split by file and the held-out examples per class. */
export interface AdaptSummary {
  trainFiles: string[];
  heldoutFiles: string[];
  filesWithoutFunctions: string[];
  functions: { train: number; heldout: number; heldoutDuplicates: number };
  /** Held-out examples per class (src/data/adapt-examples.ts ADAPT_CLASSES). */
  heldoutByClass: Record<string, number>;
  /** Every skipped file counted by reason, the page's skips and the worker's. */
  skipped: Record<SkipReason, number>;
  /** The first skipped files (at most MAX_PROBLEMS_SENT), with their reasons. */
  skippedFiles: SkippedFile[];
  skippedFolders: string[];
  listed: number;
  notPython: number;
}

export interface DataOptions {
  source: DataSource;
  /** Share of the examples held out for validation, in percent. */
  validationPercent: number;
  seed: number;
  /** Longest input the chosen model reads (lexer tokens); longer functions are left out. */
  maxTokens: number;
}

/** A JSONL line (or a file) that was skipped, and why. */
export interface LineProblem {
  file: string;
  /** 1-based; 0 when the problem is the whole file. */
  line: number;
  reason: string;
}

export interface FileSummary {
  name: string;
  /** Functions extracted (.py) or lines read (JSONL). */
  items: number;
  examples: number;
  /** Why nothing of this file is used, when nothing is. */
  refused: string | null;
}

export interface DataSummary {
  kind: DataSource['kind'];
  trainExamples: number;
  valExamples: number;
  /** Functions found (generated or extracted) before duplicates were dropped. */
  functions: number;
  duplicates: number;
  /** Functions no example could be made from (too long, no applicable task). */
  notUsable: number;
  byTask: Record<string, number>;
  /** Bug class of the fix examples (`no_bug` included). */
  byClass: Record<string, number>;
  files: FileSummary[];
  /** The first bad lines (at most MAX_PROBLEMS_SENT); `problemCount` has them all. */
  problems: LineProblem[];
  problemCount: number;
  prepareMs: number;
  /** "Your code" only. */
  adapt?: AdaptSummary;
}

export const MAX_PROBLEMS_SENT = 200;

export type PresetName = 'tiny' | 'small' | 'seed';

/** What the run starts from. A resumed run takes its model from the checkpoint instead. */
export type ModelStart = { kind: 'scratch'; preset: PresetName } | { kind: 'shipped'; modelsUrl: string };

export interface RunSettings {
  epochs: number;
  learningRate: number;
  batchSize: number;
  gradientClipNorm: number;
  /** Evaluations without a better validation loss before stopping (0: never). */
  earlyStoppingPatience: number;
  evalIntervalSteps: number;
  /** Validation examples decoded in every mode at each evaluation. */
  evalSampleSize: number;
  checkpointIntervalSteps: number;
  /**
   * Share of the run's wall time evaluations may take (src/train/eval-budget.ts; 0.15 is the
   * default the command line uses): due evaluations are skipped while they would take more.
   * Absent or null: every due evaluation runs.
   */
  evalShare?: number | null;
  /** Stop after this many steps in all (null: run every epoch). */
  maxSteps: number | null;
  seed: number;
}

export interface StartOptions {
  /** The saved run (src/worker/checkpoint-store.ts) whose checkpoints this run writes, and resumes from. */
  runId: string;
  model: ModelStart;
  settings: RunSettings;
  /** Continue from the run's checkpoint in IndexedDB (the worker reads it); its model and settings win. */
  resume: boolean;
}

export interface RunInfo {
  backend: string;
  modelName: string;
  /** e.g. "tiny preset, from scratch" or "the shipped model". */
  origin: string;
  parameters: number;
  vocabSize: number;
  batchesPerEpoch: number;
  totalSteps: number;
  startStep: number;
  resumed: boolean;
  trainExamples: number;
  valExamples: number;
  /** Examples the model's vocabulary or task format could not encode. */
  skippedExamples: number;
  settings: RunSettings;
}

/** A step as the charts draw it: the loop's StepRecord, cut to what the page shows. */
export type StepRow = Pick<StepRecord, 'step' | 'loss' | 'tokensPerSecond'>;

export interface ProgressSnapshot {
  step: number;
  epoch: number;
  totalSteps: number;
  epochs: number;
  batchesPerEpoch: number;
  /** Training wall time over every session, pauses excluded. */
  elapsedMs: number;
  tokensSeen: number;
  bestValLoss: number | null;
  /** From this session's pace; null before the first step. */
  etaMs: number | null;
  stepsPerSecond: number | null;
  tokensPerSecond: number | null;
  /** Median step time and tokens per second over the last RECENT_STEPS steps: the steady pace (WebGPU's first steps compile shaders). */
  recentStepMs: number | null;
  recentTokensPerSecond: number | null;
}

export interface MemorySample {
  step: number;
  numTensors: number;
  numBytes: number;
}

/** What happened since the last delta: never the whole history. */
export interface MetricsDelta {
  /** True for the first delta of a resumed run: a thinned copy of the saved history. */
  replace: boolean;
  steps: StepRow[];
  evals: EvalRecord[];
  progress: ProgressSnapshot;
  memory: MemorySample;
  /** tf.memory() after global steps 10 and 100 (the tensor-leak check), once each. */
  memoryMarks: MemorySample[];
  /** "Your code": the held-out examples measured so far by the measurement under way, or null between them. */
  measuring?: { before: boolean; done: number; total: number } | null;
}

/** The model files of the trained model (docs/design.md#model-files), as they are downloaded. */
export interface ExportedFiles {
  weights: Uint8Array;
  config: string;
  tokenizer: string;
  metrics: string;
  report: string;
  chart: string;
  /** The name files of the model the run started from (identifiers.json, stdlib_members.json), carried along. */
  identifiers?: string;
  members?: string;
  /** The step whose weights these are. */
  step: number;
}

export type RunState = 'running' | 'paused';
export type FaultTest = 'nan' | WorkerFault;

/**
 * What the training worker does, one method per request. The worker's engine implements it, and so
 * does the page's TrainingClient, which turns each call into a request and its one answer.
 */
export interface TrainingEngine {
  /** `threads`: the wasm backend's thread count (the training share of the page's budget); null: tfjs's default. */
  init(backend: string | null, threads?: number | null): Promise<BackendReport>;
  prepareData(options: DataOptions): Promise<DataSummary>;
  /** Resolves once the model is built; the run goes on and reports through the worker's own messages. */
  start(options: StartOptions): Promise<RunInfo>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  /** The model files (docs/design.md#model-files) of the weights as they are now (paused or ended). */
  exportFiles(): Promise<ExportedFiles>;
  faultTest(fault: FaultTest): Promise<void>;
  /** Test hook: keep each checkpoint's transaction open `holdMs` longer, and say when one opens. */
  holdCheckpoints(holdMs: number): Promise<void>;
}

/** Page → worker. */

export type TrainingRequest =
  | { type: 'init'; id: number; backend: string | null; threads?: number | null }
  | { type: 'prepare-data'; id: number; options: DataOptions }
  | { type: 'start'; id: number; options: StartOptions }
  | { type: 'pause'; id: number }
  | { type: 'resume'; id: number }
  | { type: 'stop'; id: number }
  | { type: 'export'; id: number }
  /** Test hooks (the page offers them only with `?train-faults`): NaN weights, an uncaught error, or the GPU device lost. */
  | { type: 'fault-test'; id: number; fault: FaultTest }
  /** Test hook (tests' build): hold each checkpoint's transaction open, and report 'checkpoint-open'. */
  | { type: 'hold-checkpoints'; id: number; holdMs: number };

/** Worker → page. */
export type TrainingResponse =
  | { type: 'ready'; id: number; report: BackendReport }
  | { type: 'data-ready'; id: number; summary: DataSummary }
  | { type: 'started'; id: number; info: RunInfo }
  | { type: 'exported'; id: number; files: ExportedFiles }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'metrics'; id: null; delta: MetricsDelta }
  | { type: 'state'; id: null; state: RunState; step: number }
  /** The worker stored a checkpoint in IndexedDB. */
  | { type: 'checkpoint'; id: null; step: number; savedAt: number }
  /** It could not (`quota`: the disk or the origin's quota is full); training goes on. */
  | { type: 'checkpoint-failed'; id: null; step: number; quota: boolean; message: string }
  /** Test hook: a checkpoint's transaction is open (its writes are queued, not committed). */
  | { type: 'checkpoint-open'; id: null; step: number }
  | { type: 'warning'; id: null; message: string }
  | { type: 'ended'; id: null; reason: StopReason; step: number }
  /** The run stopped on an error; `nonFinite` for a NaN or infinite loss. */
  | { type: 'failed'; id: null; error: WireError; nonFinite: boolean; lastCheckpointStep: number | null }
  /** The GPU device is gone: the worker must be replaced. */
  | { type: 'device-lost'; id: null; message: string };

// Shared with the inference protocol: one definition of each.
export { assertNever, toWireError, type WireError } from './protocol';
