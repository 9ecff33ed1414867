// The inference worker's message handling, apart from the worker's globals so that Node can drive
// it (the fuzzer's `protocol` surface, unit tests): the worker file only wires it to postMessage,
// the web backend, the Cache API download and the fault hooks. Runs are served one at a time, in
// order; a cancelled run is skipped or its answer dropped. Every message is checked before it is
// acted on: one the worker cannot use gets an `error` answer naming what is wrong (ProtocolError),
// never an exception from deep inside.
import * as tf from '@tensorflow/tfjs-core';
import {
  MODES,
  type CodingOptimizer,
  Seq2SeqCodingOptimizer,
  MODEL_FILE_NAMES,
  readModelFiles,
  uploadParams,
  type ModelFiles,
  TASKS,
} from '../model';
import type { BackendReport } from '../platform/shared/select';
import {
  assertNever,
  ProtocolError,
  toWireError,
  type InferenceRequest,
  type InferenceResponse,
  type LoadOptions,
  type LoadProgress,
  type LoadReport,
  type WasmPaths,
  type WorkerFault,
} from './protocol';

/** Progress messages at most this often: a fast download must not flood the page. */
const PROGRESS_INTERVAL_MS = 80;
/** Compiles the kernels (slow on WebGPU) before the first user request, and times it. */
const WARMUP_CODE = 'def first(items):\n    return items[0]\n';
/** The id an error answer carries when the message had no usable id. */
export const NO_ID = -1;

export interface FetchedFiles {
  files: ModelFiles;
  fromCache: boolean;
  bytes: number;
  commit(): Promise<void>;
}

/** What the handler needs from its host. */
export interface InferenceHost {
  post(message: InferenceResponse): void;
  initBackend(requested: string | null, wasmPaths: WasmPaths | null, threads: number | null): Promise<BackendReport>;
  /** Calls `report` once if the GPU device is lost. */
  watchDevice(report: (message: string) => void): void;
  fetchModelFiles(
    folderUrl: string,
    refresh: boolean,
    onProgress: (loaded: number, total: number | null, file: string) => void,
  ): Promise<FetchedFiles>;
  injectFault(fault: WorkerFault): void;
}

export interface InferenceHandler {
  /** Handles one message as it arrives (anything: it is checked first). Settles when it is answered. */
  receive(data: unknown): Promise<void>;
}

const REQUEST_TYPES = ['init', 'load', 'run', 'cancel', 'dispose', 'fault-test'] as const;
const FAULTS: readonly WorkerFault[] = ['crash', 'lose-device'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isModelFiles(value: unknown): value is ModelFiles {
  return (
    isRecord(value) &&
    value.weights instanceof Uint8Array &&
    typeof value.config === 'string' &&
    typeof value.tokenizer === 'string'
  );
}

function isThreadCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function isWasmPaths(value: unknown): value is WasmPaths {
  return typeof value === 'string' || (isRecord(value) && Object.values(value).every((v) => typeof v === 'string'));
}

/** The message as a request, or a ProtocolError that says which field is wrong. */
export function checkInferenceRequest(data: unknown): InferenceRequest {
  if (!isRecord(data))
    throw new ProtocolError(`a worker message must be an object {type, id, ...}, found ${describe(data)}`);
  const { type, id } = data;
  if (typeof type !== 'string' || !(REQUEST_TYPES as readonly string[]).includes(type)) {
    throw new ProtocolError(`unknown message type ${describe(type)}; expected one of ${REQUEST_TYPES.join(', ')}`);
  }
  if (typeof id !== 'number' || !Number.isSafeInteger(id))
    throw new ProtocolError(`"${type}" message: id must be an integer, found ${describe(id)}`);
  const bad = (field: string, expected: string, found: unknown) =>
    new ProtocolError(`"${type}" message ${id}: ${field} must be ${expected}, found ${describe(found)}`);
  switch (type) {
    case 'init':
      if (data.backend !== null && typeof data.backend !== 'string')
        throw bad('backend', 'a backend name or null', data.backend);
      if (data.wasmPaths !== undefined && data.wasmPaths !== null && !isWasmPaths(data.wasmPaths))
        throw bad('wasmPaths', 'a folder URL or {file name: URL}', data.wasmPaths);
      if (data.threads !== undefined && data.threads !== null && !isThreadCount(data.threads))
        throw bad('threads', 'a whole number of threads from 1 or null', data.threads);
      break;
    case 'load': {
      const options = data.options;
      if (!isRecord(options)) throw bad('options', 'an object {modelsUrl, refresh, files?}', options);
      if (typeof options.modelsUrl !== 'string')
        throw bad('options.modelsUrl', 'a folder URL string', options.modelsUrl);
      if (typeof options.refresh !== 'boolean') throw bad('options.refresh', 'true or false', options.refresh);
      if (options.files !== undefined && options.files !== null && !isModelFiles(options.files)) {
        throw bad('options.files', 'null or {weights: Uint8Array, config: string, tokenizer: string}', options.files);
      }
      break;
    }
    case 'run': {
      const request = data.request;
      if (!isRecord(request)) throw bad('request', 'an object {task, mode, code, seed?}', request);
      if (!(TASKS as readonly unknown[]).includes(request.task))
        throw bad('request.task', TASKS.join(', ').replace(/, (?=[^,]*$)/, ' or '), request.task);
      if (!(MODES as readonly unknown[]).includes(request.mode))
        throw bad('request.mode', MODES.join(', ').replace(/, (?=[^,]*$)/, ' or '), request.mode);
      if (typeof request.code !== 'string') throw bad('request.code', 'a string of Python code', request.code);
      if (request.seed !== undefined && !Number.isSafeInteger(request.seed))
        throw bad('request.seed', 'an integer', request.seed);
      break;
    }
    case 'cancel':
      if (typeof data.target !== 'number' || !Number.isSafeInteger(data.target))
        throw bad('target', 'the id of a run', data.target);
      break;
    case 'fault-test':
      if (!(FAULTS as readonly unknown[]).includes(data.fault)) throw bad('fault', FAULTS.join(' or '), data.fault);
      break;
  }
  return data as unknown as InferenceRequest;
}

export function createInferenceHandler(host: InferenceHost): InferenceHandler {
  let model: CodingOptimizer | null = null;
  let queue: Promise<void> = Promise.resolve();
  /** One AbortController per run queued or running: a cancel aborts it (a cancel of any other id is ignored). */
  const runs = new Map<number, AbortController>();
  const post = host.post;

  async function loadModel(id: number, options: LoadOptions): Promise<LoadReport> {
    const started = performance.now();
    let lastPost = 0;
    const progress = (p: LoadProgress, force = false) => {
      const now = performance.now();
      if (!force && now - lastPost < PROGRESS_INTERVAL_MS) return;
      lastPost = now;
      post({ type: 'progress', id, progress: p });
    };
    const given = options.files;
    const fetched = given
      ? {
          files: given,
          fromCache: false,
          bytes: given.weights.byteLength + given.config.length + given.tokenizer.length,
          commit: async () => {},
        }
      : await host.fetchModelFiles(options.modelsUrl, options.refresh, (loaded, total, file) => {
          const percent = total ? Math.min(100, (100 * loaded) / total) : null;
          progress({ phase: 'fetch', loadedBytes: loaded, totalBytes: total, percent, file }, percent === 100);
        });
    const fetchedAt = performance.now();
    const done = { loadedBytes: fetched.bytes, totalBytes: fetched.bytes, percent: 100, file: null };
    progress({ phase: 'parse', ...done }, true);
    const hostModel = readModelFiles(fetched.files);
    const parsedAt = performance.now();
    progress({ phase: 'upload', ...done }, true);
    // The same steps as the model's load(), split so that parse and upload are timed apart.
    const params = uploadParams(hostModel);
    const next = new Seq2SeqCodingOptimizer(
      hostModel.config,
      hostModel.network,
      hostModel.vocab,
      params,
      hostModel.warnings,
      hostModel.names,
    );
    let uploadedAt: number;
    try {
      await Promise.all(Object.values(params).map((t) => t.data())); // waits for the upload to finish
      uploadedAt = performance.now();
      await fetched.commit();
      progress({ phase: 'warmup', ...done }, true);
      await next.run({ task: 'fix', mode: 'convergent', code: WARMUP_CODE });
    } catch (error) {
      next.dispose();
      throw error;
    }
    const warmedAt = performance.now();
    model?.dispose();
    model = next;
    return {
      info: next.info,
      fromCache: fetched.fromCache,
      origin: given ? 'page' : fetched.fromCache ? 'cache' : 'network',
      bytes: fetched.bytes,
      timing: {
        fetchMs: fetchedAt - started,
        parseMs: parsedAt - fetchedAt,
        uploadMs: uploadedAt - parsedAt,
        warmupMs: warmedAt - uploadedAt,
        totalMs: warmedAt - started,
      },
      numTensors: tf.memory().numTensors,
    };
  }

  /** Queues a run behind the ones before it; a run cancelled while queued never starts. */
  function enqueueRun(request: Extract<InferenceRequest, { type: 'run' }>): void {
    const controller = new AbortController();
    runs.set(request.id, controller);
    queue = queue.then(async () => {
      try {
        if (controller.signal.aborted) return post({ type: 'cancelled', id: request.id });
        if (!model)
          throw new ProtocolError(
            `run ${request.id} came before a model was loaded: ${MODEL_FILE_NAMES.weights} has not loaded yet (send "load" first)`,
          );
        const answer = await model.run(request.request, controller.signal);
        if (controller.signal.aborted) return post({ type: 'cancelled', id: request.id });
        post({ type: 'answer', id: request.id, answer, numTensors: tf.memory().numTensors });
      } catch (error) {
        // A search stopped by its cancel ends as cancelled, not as an error.
        if (controller.signal.aborted) return post({ type: 'cancelled', id: request.id });
        post({ type: 'error', id: request.id, error: toWireError(error) });
      } finally {
        runs.delete(request.id);
      }
    });
  }

  async function handle(request: InferenceRequest): Promise<void> {
    switch (request.type) {
      case 'init': {
        const report = await host.initBackend(request.backend, request.wasmPaths ?? null, request.threads ?? null);
        host.watchDevice((message) => post({ type: 'device-lost', id: null, message }));
        post({ type: 'ready', id: request.id, report });
        return;
      }
      case 'load': {
        // Loads wait for runs in progress, so a model is never disposed under a running request.
        const loading = queue.then(() => loadModel(request.id, request.options));
        queue = loading.then(
          () => undefined,
          () => undefined,
        );
        post({ type: 'loaded', id: request.id, report: await loading });
        return;
      }
      case 'run':
        enqueueRun(request);
        return;
      case 'cancel':
        runs.get(request.target)?.abort();
        return;
      case 'dispose':
        await queue;
        model?.dispose();
        model = null;
        post({ type: 'disposed', id: request.id });
        return;
      case 'fault-test':
        host.injectFault(request.fault);
        return;
      default:
        assertNever(request);
    }
  }

  return {
    async receive(data: unknown): Promise<void> {
      const id = isRecord(data) && typeof data.id === 'number' && Number.isSafeInteger(data.id) ? data.id : NO_ID;
      try {
        await handle(checkInferenceRequest(data));
      } catch (error) {
        post({ type: 'error', id, error: toWireError(error) });
      }
    },
  };
}
