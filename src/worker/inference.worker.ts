// The inference worker: owns a tfjs backend and the model off the main thread, so the page never
// freezes. Runs are served one at a time, in order; a cancelled run is skipped or its answer dropped.
import * as tf from '@tensorflow/tfjs-core';
import type { CodingOptimizer } from '../model/api';
import { Seq2SeqCodingOptimizer } from '../model/coding-optimizer';
import { MODEL_FILE_NAMES, readModelFiles, uploadParams } from '../model/model-files';
import { initWebBackend } from '../platform/web';
import { injectWorkerFault, watchDevice } from './device-faults';
import { fetchModelFiles } from './model-fetch';
import { assertNever, toWireError, type InferenceRequest, type InferenceResponse, type LoadOptions, type LoadProgress, type LoadReport } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** Progress messages at most this often: a fast download must not flood the page. */
const PROGRESS_INTERVAL_MS = 80;
/** Compiles the kernels (slow on WebGPU) before the first user request, and times it. */
const WARMUP_CODE = 'def first(items):\n    return items[0]\n';

let model: CodingOptimizer | null = null;
let queue: Promise<void> = Promise.resolve();
const cancelled = new Set<number>();

function post(message: InferenceResponse): void {
  scope.postMessage(message);
}

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
    ? { files: given, fromCache: false, bytes: given.weights.byteLength + given.config.length + given.tokenizer.length, commit: async () => {} }
    : await fetchModelFiles(options.modelsUrl, options.refresh, (loaded, total, file) => {
        const percent = total ? Math.min(100, (100 * loaded) / total) : null;
        progress({ phase: 'fetch', loadedBytes: loaded, totalBytes: total, percent, file }, percent === 100);
      });
  const fetchedAt = performance.now();
  const done = { loadedBytes: fetched.bytes, totalBytes: fetched.bytes, percent: 100, file: null };
  progress({ phase: 'parse', ...done }, true);
  const host = readModelFiles(fetched.files);
  const parsedAt = performance.now();
  progress({ phase: 'upload', ...done }, true);
  // The same steps as the model's load(), split so that parse and upload are timed apart.
  const params = uploadParams(host);
  const next = new Seq2SeqCodingOptimizer(host.config, host.network, host.vocab, params, host.warnings);
  await Promise.all(Object.values(params).map((t) => t.data())); // waits for the upload to finish
  const uploadedAt = performance.now();
  await fetched.commit();
  progress({ phase: 'warmup', ...done }, true);
  try {
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
  queue = queue.then(async () => {
    if (cancelled.delete(request.id)) return post({ type: 'cancelled', id: request.id });
    try {
      if (!model) throw new Error(`no model is loaded: ${MODEL_FILE_NAMES.weights} has not loaded yet`);
      const answer = await model.run(request.request);
      if (cancelled.delete(request.id)) return post({ type: 'cancelled', id: request.id });
      post({ type: 'answer', id: request.id, answer, numTensors: tf.memory().numTensors });
    } catch (error) {
      cancelled.delete(request.id);
      post({ type: 'error', id: request.id, error: toWireError(error) });
    }
  });
}

async function handle(request: InferenceRequest): Promise<void> {
  switch (request.type) {
    case 'init': {
      const report = await initWebBackend(request.backend);
      watchDevice((message) => post({ type: 'device-lost', id: null, message }));
      post({ type: 'ready', id: request.id, report });
      return;
    }
    case 'load': {
      // Loads wait for runs in progress, so a model is never disposed under a running request.
      const loading = queue.then(() => loadModel(request.id, request.options));
      queue = loading.then(() => undefined, () => undefined);
      post({ type: 'loaded', id: request.id, report: await loading });
      return;
    }
    case 'run':
      enqueueRun(request);
      return;
    case 'cancel':
      cancelled.add(request.target);
      return;
    case 'dispose':
      await queue;
      model?.dispose();
      model = null;
      post({ type: 'disposed', id: request.id });
      return;
    case 'fault-test':
      injectWorkerFault(request.fault, 'inference');
      return;
    default:
      assertNever(request);
  }
}

scope.onmessage = (event: MessageEvent<InferenceRequest>) => {
  const request = event.data;
  handle(request).catch((error: unknown) => post({ type: 'error', id: request.id, error: toWireError(error) }));
};
