// The training worker: fine-tunes the model off the main thread with the CLI's training loop, on
// the backend the page asked for (webgpu, falling back to wasm and the rest). It answers one
// request at a time; the run itself reports through metric deltas, state changes and checkpoints.
import { NonFiniteLossError } from '../train/loop';
import { injectWorkerFault, isDeviceLost, watchDevice } from './device-faults';
import { initWebBackend } from '../platform/web';
import { prepareData, type PreparedData } from './training-data';
import { TrainingSession } from './training-session';
import { assertNever, toWireError, type StartOptions, type TrainingRequest, type TrainingResponse } from './training-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let backend = 'none';
let prepared: PreparedData | null = null;
let session: TrainingSession | null = null;
let running = false;
/** Settles when 'init' has picked a backend: a run must not start on tfjs's default one. */
let backendReady: Promise<unknown> = Promise.reject(new Error('the worker was not initialised: send init first'));
backendReady.catch(() => undefined);

function post(message: TrainingResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function requireSession(): TrainingSession {
  if (!session) throw new Error('no training run: start one first');
  return session;
}

/** Builds the run, answers `started`, then trains to the end in the background of this worker. */
async function start(id: number, options: StartOptions): Promise<void> {
  if (running) throw new Error('a run is already in progress: stop it first');
  running = true;
  try {
    await backendReady;
    if (!prepared) throw new Error('no data is prepared: choose the training data first');
    session?.dispose();
    session = null;
    const next = await TrainingSession.create(prepared, options, backend, {
      metrics: (delta) => post({ type: 'metrics', id: null, delta }),
      state: (state, step) => post({ type: 'state', id: null, state, step }),
      checkpoint: (step, epoch, bytes) => {
        const buffer = (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
        post({ type: 'checkpoint', id: null, step, epoch, bytes: buffer }, [buffer]);
      },
      warning: (message) => post({ type: 'warning', id: null, message }),
    });
    session = next;
    post({ type: 'started', id, info: next.info });
    post({ type: 'state', id: null, state: 'running', step: next.info.startStep });
    try {
      const result = await next.run();
      post({ type: 'ended', id: null, reason: result.reason, step: result.progress.step });
    } catch (error) {
      // watchDevice reports a lost device (the page offers the last checkpoint): not a failure too.
      if (!(error instanceof NonFiniteLossError) && (await isDeviceLost())) return;
      const nonFinite = error instanceof NonFiniteLossError;
      post({ type: 'failed', id: null, error: toWireError(error), nonFinite, lastCheckpointStep: nonFinite ? error.lastCheckpointStep : next.lastCheckpoint });
    }
  } finally {
    running = false;
  }
}

async function handle(request: TrainingRequest): Promise<void> {
  switch (request.type) {
    case 'init': {
      const initialising = initWebBackend(request.backend);
      backendReady = initialising;
      const report = await initialising;
      backend = report.backend;
      // A lost GPU device: the page replaces this worker and offers the last checkpoint.
      watchDevice((message) => post({ type: 'device-lost', id: null, message }));
      post({ type: 'ready', id: request.id, report });
      return;
    }
    case 'prepare-data':
      if (running) throw new Error('the data cannot change during a run: stop it first');
      prepared = null;
      prepared = prepareData(request.options);
      post({ type: 'data-ready', id: request.id, summary: prepared.summary });
      return;
    case 'start':
      // Not awaited: the worker must keep reading pause, resume and stop while the run goes on.
      start(request.id, request.options).catch((error: unknown) => {
        post({ type: 'error', id: request.id, error: toWireError(error) });
      });
      return;
    case 'pause':
      requireSession().pause();
      break;
    case 'resume':
      requireSession().resume();
      break;
    case 'stop':
      requireSession().stop();
      break;
    case 'export': {
      const files = await requireSession().exportFiles();
      post({ type: 'exported', id: request.id, files }, [files.weights.buffer as ArrayBuffer]);
      return;
    }
    case 'fault-test':
      if (request.fault === 'nan') requireSession().poisonWeights();
      else injectWorkerFault(request.fault, 'training');
      break;
    default:
      assertNever(request);
  }
  post({ type: 'done', id: request.id });
}

scope.onmessage = (event: MessageEvent<TrainingRequest>) => {
  const request = event.data;
  handle(request).catch((error: unknown) => post({ type: 'error', id: request.id, error: toWireError(error) }));
};
