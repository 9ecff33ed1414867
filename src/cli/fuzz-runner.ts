// Runs fuzz cases in a worker thread and watches it: a case that gives no result within HANG_MS
// is counted hung, and the thread (which may be stuck in a loop) is terminated; a thread that dies
// counts its running case crashed. Either way a fresh thread goes on with the next case. The thread
// is kept from surface to surface while it is healthy (starting one loads both models).
import { Worker } from 'node:worker_threads';
import type { SurfaceName } from '../fuzz/case';
import type { CaseResult } from '../fuzz/surfaces';
import type { FromWorker, ToWorker, WorkerSetup } from './fuzz-worker';

export const HANG_MS = 10_000;
const STARTUP_MS = 180_000;
/** tsx does not register its loader in worker threads: the thread registers it, then imports the TypeScript. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./fuzz-worker.ts', import.meta.url).href)}); })`;

export class FuzzRunner {
  private worker: Promise<Worker> | null = null;

  constructor(private readonly setup: WorkerSetup) {}

  private start(): Promise<Worker> {
    return new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(WORKER_BOOT, {
        eval: true,
        workerData: this.setup,
        resourceLimits: { maxOldGenerationSizeMb: 3072 },
      });
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`the fuzz thread did not start within ${STARTUP_MS / 1000} s`));
      }, STARTUP_MS);
      const onMessage = (message: FromWorker) => {
        if (message.type !== 'ready' && message.type !== 'fatal') return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (message.type === 'ready') resolve(worker);
        else {
          void worker.terminate();
          reject(new Error(`the fuzz thread failed to start: ${message.message}`));
        }
      };
      const onError = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
    });
  }

  /** Runs the cases of one surface; `onResult` sees every case, hung ones included. */
  async runSurface(surface: SurfaceName, indices: number[], onResult: (r: CaseResult) => void): Promise<void> {
    let left = [...indices];
    while (left.length > 0) {
      this.worker ??= this.start();
      const worker = await this.worker;
      const healthy = await new Promise<boolean>((resolve) => {
        let current: { index: number; since: number; mutation: string } | null = null;
        const stop = (ok: boolean) => {
          clearInterval(watch);
          worker.off('message', onMessage);
          worker.off('error', onError);
          resolve(ok);
        };
        const lose = (outcome: 'hung' | 'crashed', detail: string) => {
          onResult({
            surface,
            index: current!.index,
            outcome,
            mutation: current!.mutation,
            detail,
            ms: Date.now() - current!.since,
          });
          left = left.filter((i) => i !== current!.index);
          stop(false);
        };
        const watch = setInterval(() => {
          if (current && Date.now() - current.since > HANG_MS)
            lose('hung', `no result after ${HANG_MS / 1000} s; the thread was terminated`);
        }, 250);
        const onMessage = (message: FromWorker) => {
          if (message.type === 'start') current = { index: message.index, since: Date.now(), mutation: '' };
          else if (message.type === 'note' && current) current.mutation = message.mutation;
          else if (message.type === 'result') {
            current = null;
            left = left.filter((i) => i !== message.result.index);
            onResult(message.result);
          } else if (message.type === 'idle') stop(true);
        };
        // An error that kills the thread is the running case's crash.
        const onError = (error: Error) => {
          if (current) lose('crashed', `the thread died: ${error.name}: ${error.message}`);
          else stop(false);
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.postMessage({ surface, indices: left } satisfies ToWorker);
      });
      if (!healthy) {
        void worker.terminate();
        this.worker = null;
      }
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker).terminate();
  }
}
