// Page-side client of the inference worker. It implements the same CodingOptimizer interface as the
// in-thread model (info, run, dispose), so the UI and the tests cannot tell them apart, plus init,
// load with progress, cancellation, and a crash signal. Errors come back as Errors whose `name`
// is kept (InputError is rebuilt as one), so callers can tell bad input from a broken model.
import { InputError, type Answer, type CodingOptimizer, type ModelInfo, type RunRequest } from '../model/api';
import type { BackendReport } from '../platform/select';
import { assertNever, type InferenceRequest, type InferenceResponse, type LoadOptions, type LoadProgress, type LoadReport, type WireError } from './protocol';

/** Distributes an Omit over each member of a union (plain Omit would merge them). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Reply = Exclude<InferenceResponse, { type: 'progress' | 'device-lost' }>;

interface Pending {
  resolve: (value: Reply) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: LoadProgress) => void;
}

export interface ClientEvents {
  /** The worker died (uncaught error, lost GPU device): every pending request was rejected. */
  onCrash?: (message: string) => void;
}

/** Rejection of a run that was cancelled: callers usually ignore it. */
export class CancelledError extends Error {
  constructor() {
    super('the request was cancelled');
    this.name = 'AbortError';
  }
}

/** A worker-side failure: the worker is gone; a new client is needed. */
export class WorkerCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashError';
  }
}

function fromWire(error: WireError): Error {
  if (error.name === 'InputError') return new InputError(error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

export class InferenceClient implements CodingOptimizer {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private loaded: LoadReport | null = null;
  private dead = false;

  constructor(private readonly events: ClientEvents = {}) {
    // A literal path, so that Vite finds and emits the worker.
    this.worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
    this.worker.onmessage = (event: MessageEvent<InferenceResponse>) => this.receive(event.data);
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.crash(`the inference worker crashed: ${event.message || 'unknown error'}`);
    };
    this.worker.onmessageerror = () => this.crash('the inference worker sent a message that could not be read');
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
  get isDead(): boolean {
    return this.dead;
  }

  async init(backend: string | null): Promise<BackendReport> {
    const answer = await this.request({ type: 'init', backend });
    if (answer.type !== 'ready') throw new Error(`unexpected answer ${answer.type} to init`);
    return answer.report;
  }

  async load(options: LoadOptions, onProgress?: (progress: LoadProgress) => void): Promise<LoadReport> {
    const answer = await this.request({ type: 'load', options }, onProgress);
    if (answer.type !== 'loaded') throw new Error(`unexpected answer ${answer.type} to load`);
    this.loaded = answer.report;
    return answer.report;
  }

  /** Runs a request in the worker. Aborting `signal` stops waiting at once (CancelledError). */
  async run(request: RunRequest, signal?: AbortSignal): Promise<Answer> {
    if (signal?.aborted) throw new CancelledError();
    const id = this.nextId; // the id request() is about to use
    const answered = this.request({ type: 'run', request });
    const abort = () => {
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      if (!this.dead) this.worker.postMessage({ type: 'cancel', id: this.nextId++, target: id } satisfies InferenceRequest);
      waiting.reject(new CancelledError());
    };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const answer = await answered;
      if (answer.type !== 'answer') throw new Error(`unexpected answer ${answer.type} to run`);
      return answer.answer;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** Test hook: makes the worker throw an uncaught error (the page offers it only with ?crash-test). */
  crashForTest(): void {
    this.worker.postMessage({ type: 'crash-test', id: this.nextId++ } satisfies InferenceRequest);
  }

  dispose(): void {
    this.dead = true;
    this.failAll(new Error('the inference worker was stopped'));
    this.worker.terminate();
  }

  private request(message: WithoutId<InferenceRequest>, onProgress?: (progress: LoadProgress) => void): Promise<Reply> {
    if (this.dead) return Promise.reject(new WorkerCrashError('the inference worker is not running'));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...message, id } as InferenceRequest);
    });
  }

  private receive(message: InferenceResponse): void {
    if (message.type === 'device-lost') {
      this.crash(message.message);
      return;
    }
    // A late answer to a cancelled request finds nobody waiting and is ignored.
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    switch (message.type) {
      case 'progress':
        waiting.onProgress?.(message.progress);
        return;
      case 'ready':
      case 'loaded':
      case 'answer':
      case 'disposed':
        this.pending.delete(message.id);
        waiting.resolve(message);
        return;
      case 'cancelled':
        this.pending.delete(message.id);
        waiting.reject(new CancelledError());
        return;
      case 'error':
        this.pending.delete(message.id);
        waiting.reject(fromWire(message.error));
        return;
      default:
        assertNever(message);
    }
  }

  private crash(message: string): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
    this.failAll(new WorkerCrashError(message));
    this.events.onCrash?.(message);
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
