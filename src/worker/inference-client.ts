// Page-side client of the inference worker: request ids, promises, errors carried back as errors.
import type { BackendReport } from '../platform/select';
import { assertNever, type InferenceRequest, type InferenceResponse } from './protocol';

type Pending = { resolve: (value: InferenceResponse) => void; reject: (error: Error) => void };

/** Distributes an Omit over each member of a union (plain Omit would merge them). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class InferenceClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    // A literal path, so that Vite finds and emits the worker.
    this.worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<InferenceResponse>) => this.receive(event.data);
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.failAll(new Error(`the inference worker crashed: ${event.message || 'unknown error'}`));
    };
  }

  async init(backend: string | null): Promise<BackendReport> {
    const answer = await this.request({ type: 'init', backend });
    if (answer.type !== 'ready') throw new Error(`unexpected answer ${answer.type} to init`);
    return answer.report;
  }

  dispose(): void {
    this.failAll(new Error('the inference worker was stopped'));
    this.worker.terminate();
  }

  private request(message: WithoutId<InferenceRequest>): Promise<InferenceResponse> {
    const id = this.nextId++;
    return new Promise<InferenceResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id } as InferenceRequest);
    });
  }

  private receive(message: InferenceResponse): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    switch (message.type) {
      case 'ready':
        waiting.resolve(message);
        return;
      case 'error':
        waiting.reject(new Error(message.message));
        return;
      default:
        assertNever(message);
    }
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
