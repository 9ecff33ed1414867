// The package's browser entry: `load(source)` runs the model in this thread on the best backend
// tfjs has (or `backend`), from a folder URL holding the three model files or from their bytes;
// `createWorkerOptimizer(source)` runs it in a module worker and answers through the same
// interface. The model itself (src/model) stays backend-free: this entry picks the backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  load as loadFiles,
  MODEL_FILE_NAMES,
  type Answer,
  type CodingOptimizer,
  type ModelFiles,
  type ModelInfo,
  type RunRequest,
} from '../model';
import { registerProjectKernels } from '../platform/kernels/register';
import { isBackendName } from '../platform/shared/select';
import type { WorkerCall, WorkerReply, WorkerRequest } from './worker-protocol';

export type {
  Answer,
  AnswerCandidate,
  CodingOptimizer,
  Mode,
  ModelFiles,
  ModelInfo,
  RunRequest,
  Task,
} from '../model/index';
export { InputError, MODES, ModelFileError } from '../model/index';

export interface LoadOptions {
  /** webgpu, webgl, wasm or cpu; default: tfjs's own choice among those that start. */
  backend?: string;
  /**
   * Where the tfjs wasm binaries are served, for the wasm backend: a folder URL ending in '/', or
   * each file's URL by name (what a bundler that renames assets gives), as tfjs's setWasmPaths takes.
   */
  wasmPaths?: string | Record<string, string>;
}

/** A folder URL (the three files under it) or the files' contents. */
export type ModelSource = string | URL | ModelFiles;

async function fetchFiles(folder: string | URL): Promise<ModelFiles> {
  const base = new URL(folder, globalThis.location?.href);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const get = async (name: string) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok)
      throw new Error(
        `lstm-coding-optimizer: ${new URL(name, base).href} answered ${response.status}; the folder must hold ${Object.values(MODEL_FILE_NAMES).join(', ')}`,
      );
    return response;
  };
  const [weights, config, tokenizer] = await Promise.all([
    get(MODEL_FILE_NAMES.weights),
    get(MODEL_FILE_NAMES.config),
    get(MODEL_FILE_NAMES.tokenizer),
  ]);
  return {
    weights: new Uint8Array(await weights.arrayBuffer()),
    config: await config.text(),
    tokenizer: await tokenizer.text(),
  };
}

async function startBackend(options: LoadOptions): Promise<void> {
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  if (options.backend) {
    if (!isBackendName(options.backend))
      throw new Error(`lstm-coding-optimizer: unknown backend "${options.backend}"; use webgpu, webgl, wasm or cpu`);
    if (!(await tf.setBackend(options.backend)))
      throw new Error(`lstm-coding-optimizer: the ${options.backend} backend did not start here`);
  }
  await tf.ready();
  const name = tf.getBackend();
  if (isBackendName(name)) registerProjectKernels(name);
}

/** Loads the model in this thread. */
export async function load(source: ModelSource, options: LoadOptions = {}): Promise<CodingOptimizer> {
  await startBackend(options);
  const files = typeof source === 'string' || source instanceof URL ? await fetchFiles(source) : source;
  return loadFiles(files);
}

/** The worker script beside this file in the package (a name, not a literal: our build must not inline it). */
const WORKER_FILE = './worker.js';

/**
 * Loads the model in a module worker; `run` posts each request there, `dispose` ends the worker.
 * `workerUrl`: where the package's dist/worker.js is served, when a bundler moved this file away from it.
 */
export async function createWorkerOptimizer(
  source: ModelSource,
  options: LoadOptions & { workerUrl?: string | URL } = {},
): Promise<CodingOptimizer> {
  const { workerUrl, ...loadOptions } = options;
  const worker = new Worker(workerUrl ?? new URL(WORKER_FILE, import.meta.url), { type: 'module' });
  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(new Error(reply.error));
  };
  worker.onerror = (event) => {
    for (const waiting of pending.values())
      waiting.reject(new Error(`lstm-coding-optimizer worker failed: ${event.message}`));
    pending.clear();
  };
  const call = (request: WorkerCall) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  const resolved =
    source instanceof URL
      ? source.href
      : typeof source === 'string'
        ? new URL(source, globalThis.location?.href).href
        : source;
  const info = (await call({ type: 'load', source: resolved, options: loadOptions })) as ModelInfo;
  return {
    info,
    run: (request: RunRequest) => call({ type: 'run', request }) as Promise<Answer>,
    dispose: () => worker.terminate(),
  };
}
