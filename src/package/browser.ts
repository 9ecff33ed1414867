// The package's browser entry: `load(source)` runs the model in this thread on the best backend
// tfjs has (or `backend`), from a folder URL holding the three model files or from their bytes;
// `createWorkerOptimizer(source)` runs it in a module worker and answers through the same
// interface. The model itself (src/model) stays backend-free: this entry picks the backend.
import { load as loadFiles, type Answer, type CodingOptimizer, type ModelFiles, type RunRequest } from '../model';
import { InferenceClient } from '../worker/inference-client';
import { fetchFiles, startBackend, type LoadOptions } from './backend';

export type { Answer, AnswerCandidate, CodingOptimizer, Mode, ModelFiles, ModelInfo, RunRequest, Task } from '../model';
export { InputError, MODES, ModelFileError } from '../model';

export type { LoadOptions } from './backend';

/** A folder URL (the three files under it) or the files' contents. */
export type ModelSource = string | URL | ModelFiles;

/** Loads the model in this thread. */
export async function load(source: ModelSource, options: LoadOptions = {}): Promise<CodingOptimizer> {
  await startBackend(options);
  const files = typeof source === 'string' || source instanceof URL ? await fetchFiles(source) : source;
  return loadFiles(files);
}

/** The worker script beside this file in the package (a name, not a literal: our build must not inline it). */
const WORKER_FILE = './worker.js';

/** What createWorkerOptimizer gives: `run` also takes an AbortSignal, which cancels that run in the worker. */
export interface WorkerOptimizer extends CodingOptimizer {
  run(request: RunRequest, signal?: AbortSignal): Promise<Answer>;
}

/**
 * Loads the model in a module worker; `run` posts each request there, `dispose` ends the worker.
 * `workerUrl`: where the package's dist/worker.js is served, when a bundler moved this file away from it.
 * The worker speaks the app's checked protocol (src/worker/protocol.ts): a run whose signal is
 * aborted rejects with an AbortError, and errors keep their names (InputError stays an InputError).
 */
export async function createWorkerOptimizer(
  source: ModelSource,
  options: LoadOptions & { workerUrl?: string | URL } = {},
): Promise<WorkerOptimizer> {
  const { workerUrl, backend, wasmPaths } = options;
  const worker = new Worker(workerUrl ?? new URL(WORKER_FILE, import.meta.url), { type: 'module' });
  const client = new InferenceClient(worker);
  const isFolder = typeof source === 'string' || source instanceof URL;
  // Resolved here: the worker's own location is the script's, not the page's.
  const modelsUrl = isFolder ? new URL(source, globalThis.location?.href).href : '';
  try {
    await client.init(backend ?? null, wasmPaths ?? null);
    await client.load({ modelsUrl, refresh: false, files: isFolder ? null : source });
  } catch (error) {
    client.dispose();
    throw error;
  }
  return {
    info: client.info,
    run: (request, signal) => client.run(request, signal),
    dispose: () => client.dispose(),
  };
}
