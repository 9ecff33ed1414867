// Messages between createWorkerOptimizer (browser.ts) and its worker (worker.ts).
import type { ModelFiles, RunRequest } from '../model';

export interface LoadMessageOptions {
  backend?: string;
  wasmPaths?: string | Record<string, string>;
}

export type WorkerRequest =
  | { id: number; type: 'load'; source: string | ModelFiles; options: LoadMessageOptions }
  | { id: number; type: 'run'; request: RunRequest };

/** A request before the client numbers it. */
export type WorkerCall = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
