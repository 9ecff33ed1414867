// The request/reply plumbing both page-side worker clients share: ids, the promises waiting for
// replies, and the end of a worker (crash, lost GPU device, dispose) failing every one of them.
// Each client keeps its own message switch; this class never looks inside a message.

/** Distributes an Omit over each member of a union (plain Omit would merge them). */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Waiting<Reply, Extra> {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  extra: Extra | undefined;
}

export class WorkerConnection<Request extends { id: number }, Reply, Extra = never> {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting<Reply, Extra>>();
  private dead = false;

  /**
   * `worker` is made by the client (`new Worker(new URL('./x.worker.ts', import.meta.url))` needs
   * a literal path for Vite); `name` goes into crash messages ("the training worker crashed: …").
   */
  constructor(
    private readonly worker: Worker,
    private readonly name: string,
    private readonly handlers: { receive(message: unknown): void; onCrash(message: string): void },
  ) {
    worker.onmessage = (event: MessageEvent) => handlers.receive(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.crash(`the ${name} worker crashed: ${event.message || 'unknown error'}`);
    };
    worker.onmessageerror = () => this.crash(`the ${name} worker sent a message that could not be read`);
  }

  /** The worker crashed or was stopped: nothing more is answered. */
  get isDead(): boolean {
    return this.dead;
  }

  /** Posts a request and returns its id and the promise of its reply. */
  send(
    message: WithoutId<Request>,
    options: { transfer?: Transferable[]; extra?: Extra } = {},
  ): { id: number; reply: Promise<Reply> } {
    const id = this.nextId++;
    if (this.dead) return { id, reply: Promise.reject(new WorkerCrashError(`the ${this.name} worker is not running`)) };
    const reply = new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, extra: options.extra });
      this.worker.postMessage({ ...message, id }, options.transfer ?? []);
    });
    return { id, reply };
  }

  request(message: WithoutId<Request>, options?: { transfer?: Transferable[]; extra?: Extra }): Promise<Reply> {
    return this.send(message, options).reply;
  }

  /** Posts a message nobody waits for (a cancel, a test hook). */
  post(message: WithoutId<Request>): void {
    if (!this.dead) this.worker.postMessage({ ...message, id: this.nextId++ });
  }

  /** What was given with request `id` (e.g. a progress callback); undefined when nobody waits. */
  extraOf(id: number): Extra | undefined {
    return this.waiting.get(id)?.extra;
  }

  isWaiting(id: number): boolean {
    return this.waiting.has(id);
  }

  /** Settles request `id`; false when nobody waits for it (a late answer to a cancelled request). */
  resolve(id: number, reply: Reply): boolean {
    const waiting = this.take(id);
    waiting?.resolve(reply);
    return waiting !== undefined;
  }

  reject(id: number, error: Error): boolean {
    const waiting = this.take(id);
    waiting?.reject(error);
    return waiting !== undefined;
  }

  /** The worker is gone: terminate it, fail every request, tell the client once. */
  crash(message: string): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
    this.failAll(new WorkerCrashError(message));
    this.handlers.onCrash(message);
  }

  dispose(): void {
    if (this.dead) return;
    this.dead = true;
    // Nobody failed: the page let the worker go (a reload of the model), so its requests are abandoned.
    this.failAll(abortError(`the ${this.name} worker was stopped`));
    this.worker.terminate();
  }

  private take(id: number): Waiting<Reply, Extra> | undefined {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    return waiting;
  }

  private failAll(error: Error): void {
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

/** What a request the caller or the page gave up on rejects with: the AbortError fetch uses too. */
export function abortError(message = 'the request was cancelled'): DOMException {
  return new DOMException(message, 'AbortError');
}

/** An abandoned request (aborted, or its worker stopped): callers do not show it as a failure. */
export function isAbortError(error: unknown): boolean {
  return (error instanceof Error || error instanceof DOMException) && error.name === 'AbortError';
}

/** A worker-side failure: the worker is gone; a new client is needed. */
export class WorkerCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashError';
  }
}
