// Page-side client of the inference worker. It implements the same CodingOptimizer interface as the
// in-thread model (info, run, dispose), so the UI and the tests cannot tell them apart, plus init,
// load with progress, cancellation (the caller's AbortSignal, carried to the worker as a cancel
// message for that run), and a crash signal. Errors come back as Errors whose `name`
// is kept (InputError is rebuilt as one), so callers can tell bad input from a broken model.
import { InputError, type Answer, type CodingOptimizer, type ModelInfo, type RunRequest } from '../model';
import type { BackendReport } from '../platform/shared/select';
import {
  assertNever,
  type InferenceRequest,
  type InferenceResponse,
  type LoadOptions,
  type LoadProgress,
  type LoadReport,
  type WasmPaths,
  type WireError,
} from './protocol';
import type { WorkerFault } from './device-faults';
import { abortError, WorkerConnection } from './worker-connection';

export { isAbortError, WorkerCrashError } from './worker-connection';

type Reply = Exclude<InferenceResponse, { type: 'progress' | 'device-lost' }>;
type OnProgress = (progress: LoadProgress) => void;

export interface ClientEvents {
  /** The worker died (uncaught error, lost GPU device): every pending request was rejected. */
  onCrash?: (message: string) => void;
}

function fromWire(error: WireError): Error {
  // NotPythonError (not-python.ts) is an InputError too: the page shows it as input to change.
  if (error.name === 'InputError' || error.name === 'NotPythonError') return new InputError(error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

export class InferenceClient implements CodingOptimizer {
  private tensorsAfterRun: number | null = null;
  private readonly connection: WorkerConnection<InferenceRequest, Reply, OnProgress>;
  private loaded: LoadReport | null = null;

  /**
   * `worker` runs createInferenceHandler: the app's inference.worker.ts, or the package's worker.js.
   * The caller makes it, because `new Worker(new URL(literal, import.meta.url))` is how a bundler
   * finds the worker file, and each of the two builds must find only its own.
   */
  constructor(
    worker: Worker,
    private readonly events: ClientEvents = {},
  ) {
    this.connection = new WorkerConnection(worker, 'inference', {
      receive: (message) => this.receive(message as InferenceResponse),
      onCrash: (message) => this.events.onCrash?.(message),
    });
  }

  /** The model's description; only after load() resolved. */
  get info(): ModelInfo {
    if (!this.loaded) throw new Error('no model is loaded yet');
    return this.loaded.info;
  }

  get loadReport(): LoadReport | null {
    return this.loaded;
  }

  /** The worker crashed or was stopped: this client answers nothing more. */
  /** tf.memory().numTensors in the worker after the last answer (null before one): must stay flat. */
  get workerTensors(): number | null {
    return this.tensorsAfterRun;
  }

  get isDead(): boolean {
    return this.connection.isDead;
  }

  async init(
    backend: string | null,
    wasmPaths: WasmPaths | null = null,
    threads: number | null = null,
  ): Promise<BackendReport> {
    const answer = await this.connection.request({ type: 'init', backend, wasmPaths, threads });
    if (answer.type !== 'ready') throw new Error(`unexpected answer ${answer.type} to init`);
    return answer.report;
  }

  async load(options: LoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<LoadReport> {
    const answer = await this.connection.request({ type: 'load', options }, { extra: onProgress });
    if (answer.type !== 'loaded') throw new Error(`unexpected answer ${answer.type} to load`);
    this.loaded = answer.report;
    return answer.report;
  }

  /**
   * Runs a request in the worker. Aborting `signal` rejects at once (an AbortError) and tells the
   * worker, which skips the run if it is still queued and drops its answer otherwise.
   */
  async run(request: RunRequest, signal?: AbortSignal): Promise<Answer> {
    if (signal?.aborted) throw abortError();
    const { id, reply: answered } = this.connection.send({ type: 'run', request });
    const abort = () => {
      if (this.connection.reject(id, abortError())) this.connection.post({ type: 'cancel', target: id });
    };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const answer = await answered;
      if (answer.type !== 'answer') throw new Error(`unexpected answer ${answer.type} to run`);
      this.tensorsAfterRun = answer.numTensors;
      return answer.answer;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** Test hooks: the worker throws an uncaught error, or loses its GPU device (the page offers them only with ?crash-test). */
  faultForTest(fault: WorkerFault): void {
    this.connection.post({ type: 'fault-test', fault });
  }

  dispose(): void {
    this.connection.dispose();
  }

  private receive(message: InferenceResponse): void {
    switch (message.type) {
      case 'device-lost':
        this.connection.crash(message.message);
        return;
      // A late answer to a cancelled request finds nobody waiting and is ignored.
      case 'progress':
        this.connection.extraOf(message.id)?.(message.progress);
        return;
      case 'ready':
      case 'loaded':
      case 'answer':
      case 'disposed':
        this.connection.resolve(message.id, message);
        return;
      case 'cancelled':
        this.connection.reject(message.id, abortError());
        return;
      case 'error':
        this.connection.reject(message.id, fromWire(message.error));
        return;
      default:
        assertNever(message);
    }
  }
}
