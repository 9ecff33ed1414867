// The training worker: fine-tunes the model off the main thread with the CLI's training loop, on
// the backend the page asked for (webgpu, falling back to wasm and the rest). Its engine implements
// the same TrainingEngine interface as the page's TrainingClient: each request is one method call,
// answered once; the run itself reports through metric deltas, state changes and checkpoints.
import { NonFiniteLossError } from '../train/loop';
import { isQuotaError, loadCheckpoint, saveCheckpoint, type CheckpointWriteProbe } from './checkpoint-store';
import { injectWorkerFault, isDeviceLost, watchDevice } from './device-faults';
import { initWebBackend } from '../platform/web/web';
import { prepareData, type PreparedData } from './training-data';
import { TrainingSession } from './training-session';
import { TEST_HOOKS, TEST_HOOKS_ABSENT } from './test-build';
import {
  assertNever,
  toWireError,
  type TrainingEngine,
  type TrainingRequest,
  type TrainingResponse,
} from './training-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: TrainingResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

let backend = 'none';
let prepared: PreparedData | null = null;
let session: TrainingSession | null = null;
let running = false;
/** Tests' build only: holds each checkpoint's transaction open (holdCheckpoints). */
let checkpointProbe: CheckpointWriteProbe | undefined;
/** Settles when init has picked a backend: a run must not start on tfjs's default one. */
let backendReady: Promise<unknown> = Promise.reject(new Error('the worker was not initialised: send init first'));
backendReady.catch(() => undefined);

function requireSession(): TrainingSession {
  if (!session) throw new Error('no training run: start one first');
  return session;
}

/** The worker's side of the interface the page's TrainingClient implements too. */
const engine: TrainingEngine = {
  async init(requested, threads = null) {
    const initialising = initWebBackend(requested, threads);
    backendReady = initialising;
    const report = await initialising;
    backend = report.backend;
    // A lost GPU device: the page replaces this worker and offers the last checkpoint.
    watchDevice((message) => post({ type: 'device-lost', id: null, message }));
    return report;
  },
  async prepareData(options) {
    if (running) throw new Error('the data cannot change during a run: stop it first');
    prepared = null;
    prepared = prepareData(options);
    return prepared.summary;
  },
  /** Builds the run and resolves with its description; the loop starts once that answer is posted. */
  async start(options) {
    if (running) throw new Error('a run is already in progress: stop it first');
    running = true;
    try {
      await backendReady;
      if (!prepared) throw new Error('no data is prepared: choose the training data first');
      session?.dispose();
      session = null;
      const saved = options.resume ? (await loadCheckpoint(options.runId)).bytes : null;
      const next = await TrainingSession.create(prepared, options, saved, backend, {
        metrics: (delta) => post({ type: 'metrics', id: null, delta }),
        state: (state, step) => post({ type: 'state', id: null, state, step }),
        // Bound to this run's id: a checkpoint always lands under the run that made it.
        checkpoint: (step, epoch, bytes) => storeCheckpoint(options.runId, step, epoch, bytes),
        warning: (message) => post({ type: 'warning', id: null, message }),
      });
      session = next;
      // A task, not a microtask: the 'started' answer goes out first, then the run's own reports.
      setTimeout(() => void runToEnd(next), 0);
      return next.info;
    } catch (error) {
      running = false;
      throw error;
    }
  },
  pause: async () => requireSession().pause(),
  resume: async () => requireSession().resume(),
  stop: async () => requireSession().stop(),
  exportFiles: async () => requireSession().exportFiles(),
  async faultTest(fault) {
    if (!TEST_HOOKS) throw new Error(TEST_HOOKS_ABSENT);
    if (fault === 'nan') requireSession().poisonWeights();
    else injectWorkerFault(fault, 'training');
  },
  async holdCheckpoints(holdMs) {
    if (!TEST_HOOKS) throw new Error(TEST_HOOKS_ABSENT);
    checkpointProbe = { holdMs, onOpen: (step) => post({ type: 'checkpoint-open', id: null, step }) };
  },
};

/** Trains to the end in the background of this worker; the page hears how it ended. */
async function runToEnd(run: TrainingSession): Promise<void> {
  post({ type: 'state', id: null, state: 'running', step: run.info.startStep });
  try {
    const result = await run.run();
    post({ type: 'ended', id: null, reason: result.reason, step: result.progress.step });
  } catch (error) {
    // watchDevice reports a lost device (the page offers the last checkpoint): not a failure too.
    if (!(error instanceof NonFiniteLossError) && (await isDeviceLost())) return;
    const nonFinite = error instanceof NonFiniteLossError;
    post({
      type: 'failed',
      id: null,
      error: toWireError(error),
      nonFinite,
      lastCheckpointStep: nonFinite ? error.lastCheckpointStep : run.lastCheckpoint,
    });
  } finally {
    running = false;
  }
}

/** Stores a checkpoint in IndexedDB from here; the page hears the step, or why it was not saved. */
async function storeCheckpoint(runId: string, step: number, epoch: number, bytes: Uint8Array): Promise<void> {
  const buffer = (
    bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer
  ) as ArrayBuffer;
  const savedAt = Date.now();
  try {
    await saveCheckpoint({ runId, step, epoch, savedAt, bytes: buffer }, TEST_HOOKS ? checkpointProbe : undefined);
    post({ type: 'checkpoint', id: null, step, savedAt });
  } catch (error) {
    // Not rethrown: the run goes on, and the page says the checkpoint was not saved.
    post({
      type: 'checkpoint-failed',
      id: null,
      step,
      quota: isQuotaError(error),
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

async function handle(request: TrainingRequest): Promise<void> {
  const { id } = request;
  switch (request.type) {
    case 'init':
      return post({ type: 'ready', id, report: await engine.init(request.backend, request.threads ?? null) });
    case 'prepare-data':
      return post({ type: 'data-ready', id, summary: await engine.prepareData(request.options) });
    case 'start':
      return post({ type: 'started', id, info: await engine.start(request.options) });
    case 'pause':
      await engine.pause();
      break;
    case 'resume':
      await engine.resume();
      break;
    case 'stop':
      await engine.stop();
      break;
    case 'export': {
      const files = await engine.exportFiles();
      return post({ type: 'exported', id, files }, [files.weights.buffer as ArrayBuffer]);
    }
    case 'fault-test':
      await engine.faultTest(request.fault);
      break;
    case 'hold-checkpoints':
      await engine.holdCheckpoints(request.holdMs);
      break;
    default:
      assertNever(request);
  }
  post({ type: 'done', id });
}

scope.onmessage = (event: MessageEvent<TrainingRequest>) => {
  const request = event.data;
  handle(request).catch((error: unknown) => post({ type: 'error', id: request.id, error: toWireError(error) }));
};
