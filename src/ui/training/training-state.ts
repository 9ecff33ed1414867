// The training tab's state and the one reducer that changes it, from the worker's events and the
// user's commands. Chart rows grow by deltas (thinned past ~500 points), never by copying history.
import type { StopReason } from '../../train/loop';
import type { BackendState } from '../hooks/useInferenceWorker';
import type { EvalRecord } from '../../train/loop';
import type { DataOptions, DataSummary, MemorySample, MetricsDelta, ProgressSnapshot, RunInfo, RunState, StepRow } from '../../worker/training-protocol';
import { appendThinned, toEvalRow, type EvalRow } from './chart-series';
import type { SavedRunSummary } from '../../worker/checkpoint-store';
import type { StorageUse } from './run-locks';

export type Phase = 'idle' | 'starting' | 'running' | 'pausing' | 'paused' | 'stopping' | 'ended' | 'failed' | 'crashed';

export interface ShownTrainingError {
  kind: 'nan' | 'crash' | 'start' | 'failed' | 'command';
  title: string;
  message: string;
}

export interface DataState {
  status: 'idle' | 'preparing' | 'ready' | 'failed';
  /** The options the status is about (the latest prepare asked of the worker). */
  options: DataOptions | null;
  summary: DataSummary | null;
  error: string | null;
}

/** What a start that was clicked waits for before it goes to the worker. */
export type StartWait = 'backend' | 'data';

export interface TrainingState {
  backend: BackendState;
  phase: Phase;
  /** While `phase` is 'starting': what the start still waits for, or null once it went to the worker. */
  waitingFor: StartWait | null;
  data: DataState;
  run: RunInfo | null;
  progress: ProgressSnapshot | null;
  stepRows: StepRow[];
  evalRows: EvalRow[];
  memory: MemorySample | null;
  memoryMarks: MemorySample[];
  /** "Your code": the held-out measurement under way (examples done of all), or null. */
  measuring: MetricsDelta['measuring'];
  endReason: StopReason | null;
  error: ShownTrainingError | null;
  /** Warnings worth showing (storage full, a checkpoint not saved), newest last, a few at most. */
  warnings: { message: string; key: string | null }[];
  /** The last checkpoint this page stored in IndexedDB. */
  lastSaved: { step: number; savedAt: number } | null;
  /** The run this tab trains (or trained last): its id in IndexedDB. */
  runId: string | null;
  /** Every run saved in this browser (IndexedDB), the latest first. */
  runs: SavedRunSummary[];
  /** Runs another tab trains now (it holds their lock): not to be resumed here. */
  heldElsewhere: string[];
  storage: StorageUse | null;
}

/** The saved runs as the page lists them. */
export interface SavedRuns {
  runs: SavedRunSummary[];
  heldElsewhere: string[];
  storage: StorageUse | null;
}

export type TrainingAction =
  | { type: 'backend'; backend: BackendState }
  | { type: 'data-preparing'; options: DataOptions }
  | { type: 'data-ready'; summary: DataSummary }
  | { type: 'data-failed'; message: string }
  | { type: 'starting'; runId: string }
  | { type: 'start-waiting'; waitingFor: StartWait | null }
  | { type: 'started'; info: RunInfo }
  | { type: 'start-failed'; message: string }
  /** Progress, memory: every delta (cheap to draw). */
  | { type: 'progress'; delta: MetricsDelta }
  /** Chart rows: the worker sends them about once a second (drawing the charts is the page's costly part). */
  | { type: 'rows'; steps: StepRow[]; evals: EvalRecord[]; replace: boolean }
  | { type: 'run-state'; state: RunState; step: number }
  | { type: 'pausing' }
  | { type: 'stopping' }
  | { type: 'ended'; reason: StopReason; step: number }
  | { type: 'failed'; message: string; nonFinite: boolean; lastCheckpointStep: number | null }
  | { type: 'crashed'; message: string }
  | { type: 'checkpoint-saved'; step: number; savedAt: number }
  /** `key`: a later warning with the same key replaces this one (a full disk, at every checkpoint). */
  | { type: 'warning'; message: string; key?: string }
  | { type: 'command-failed'; message: string }
  | { type: 'runs'; saved: SavedRuns }
  | { type: 'dismiss-error' };

const MAX_WARNINGS = 4;

export const initialTrainingState: TrainingState = {
  backend: { status: 'starting' },
  phase: 'idle',
  waitingFor: null,
  data: { status: 'idle', options: null, summary: null, error: null },
  run: null,
  progress: null,
  stepRows: [],
  evalRows: [],
  memory: null,
  memoryMarks: [],
  measuring: null,
  endReason: null,
  error: null,
  warnings: [],
  lastSaved: null,
  runId: null,
  runs: [],
  heldElsewhere: [],
  storage: null,
};

/** What the list shows of the saved runs: a poll that changed none of it changes no state. */
function runsKey({ runs, heldElsewhere, storage }: SavedRuns): string {
  const rows = runs.map(({ recipe, checkpoint, checkpointMissing, bytes }) => [recipe.id, recipe.status, recipe.updatedAt, checkpoint?.step, checkpointMissing, bytes]);
  return JSON.stringify([rows, heldElsewhere, storage]);
}

/** A run is in the worker's hands: data and settings are locked. */
export function isActive(phase: Phase): boolean {
  return phase === 'starting' || phase === 'running' || phase === 'pausing' || phase === 'paused' || phase === 'stopping';
}

export function trainingReducer(state: TrainingState, action: TrainingAction): TrainingState {
  switch (action.type) {
    case 'backend':
      return { ...state, backend: action.backend };
    case 'data-preparing':
      return { ...state, data: { ...state.data, status: 'preparing', options: action.options, error: null } };
    case 'data-ready':
      return { ...state, data: { ...state.data, status: 'ready', summary: action.summary, error: null } };
    case 'data-failed':
      return { ...state, data: { ...state.data, status: 'failed', summary: null, error: action.message } };
    case 'starting':
      return { ...state, phase: 'starting', runId: action.runId, waitingFor: null, error: null, endReason: null, warnings: [], run: null, progress: null, stepRows: [], evalRows: [], memory: null, memoryMarks: [], measuring: null, lastSaved: null };
    case 'start-waiting':
      return state.phase === 'starting' ? { ...state, waitingFor: action.waitingFor } : state;
    case 'started':
      return { ...state, phase: state.phase === 'starting' ? 'running' : state.phase, waitingFor: null, run: action.info };
    case 'start-failed':
      return { ...state, phase: 'idle', waitingFor: null, error: { kind: 'start', title: 'The run did not start', message: action.message } };
    case 'progress':
      return { ...state, progress: action.delta.progress, memory: action.delta.memory, memoryMarks: [...state.memoryMarks, ...action.delta.memoryMarks], measuring: action.delta.measuring ?? null };
    case 'rows': {
      const evals = action.evals.map(toEvalRow);
      return {
        ...state,
        stepRows: appendThinned(action.replace ? [] : state.stepRows, action.steps),
        evalRows: appendThinned(action.replace ? [] : state.evalRows, evals),
      };
    }
    case 'run-state':
      // A stop asked for wins; a pause asked for but not reached yet stays "pausing".
      if (state.phase === 'stopping') return state;
      if (action.state === 'paused') return { ...state, phase: 'paused' };
      return state.phase === 'pausing' ? state : { ...state, phase: 'running' };
    case 'pausing':
      return state.phase === 'running' ? { ...state, phase: 'pausing' } : state;
    case 'stopping':
      return { ...state, phase: 'stopping' };
    case 'ended':
      return { ...state, phase: 'ended', endReason: action.reason, measuring: null };
    case 'failed': {
      const kept = action.lastCheckpointStep !== null ? ` The last good checkpoint (step ${action.lastCheckpointStep}) is kept: resume from it below.` : '';
      return {
        ...state,
        phase: 'failed',
        error: action.nonFinite
          ? { kind: 'nan', title: 'Training stopped: the loss is not a number', message: action.message }
          : { kind: 'failed', title: 'Training stopped on an error', message: `${action.message}.${kept}` },
      };
    }
    case 'crashed':
      return {
        ...state,
        phase: 'crashed',
        error: { kind: 'crash', title: 'The training worker stopped', message: `${action.message}. A new worker is ready; resume from the last checkpoint below.` },
      };
    case 'checkpoint-saved':
      // A checkpoint that saved clears the "not saved" warning.
      return { ...state, lastSaved: { step: action.step, savedAt: action.savedAt }, warnings: state.warnings.filter((w) => w.key !== 'checkpoint-storage') };
    case 'warning': {
      const key = action.key ?? null;
      const others = key === null ? state.warnings : state.warnings.filter((w) => w.key !== key);
      return { ...state, warnings: [...others, { message: action.message, key }].slice(-MAX_WARNINGS) };
    }
    case 'command-failed':
      return { ...state, error: { kind: 'command', title: 'That did not work', message: action.message } };
    case 'runs':
      if (runsKey(action.saved) === runsKey(state)) return state;
      return { ...state, ...action.saved };
    case 'dismiss-error':
      return { ...state, error: null };
  }
}
