// The messages between the page and the inference worker: one discriminated union per direction,
// each payload tied to its `type`. Both sides handle them with an exhaustive switch.
import type { Answer, ModelInfo, RunRequest, ModelFiles } from '../model';
import type { BackendReport } from '../platform/shared/select';

/** Faults any worker can be asked to show: an uncaught error, or its GPU device lost. */
export type WorkerFault = 'crash' | 'lose-device';

/**
 * Where the tfjs wasm binaries are served: a folder URL ending in '/', or each file's URL by name,
 * as tfjs's setWasmPaths takes them. Only the package's worker needs it: the app's worker is built
 * with the binaries' URLs and ignores it.
 */
export type WasmPaths = string | Record<string, string>;

/** Where the three model files come from, and whether to ignore cached copies. */
export interface LoadOptions {
  /** Folder URL ending in '/', e.g. `/models/`; absolute or relative to the page. */
  modelsUrl: string;
  /** Drop the cached files and download them again ("reload model"). */
  refresh: boolean;
  /** Files given directly (fine-tuned in the Train tab): nothing is downloaded or cached. */
  files?: ModelFiles | null;
}

/** Byte progress of the model download (all three files together). */
export interface LoadProgress {
  phase: 'fetch' | 'parse' | 'upload' | 'warmup';
  loadedBytes: number;
  /** null while a server has not said how large a file is. */
  totalBytes: number | null;
  /** 0..100, or null when the total is unknown. */
  percent: number | null;
  /** The file currently arriving (fetch phase). */
  file: string | null;
}

/** How one model load went; every figure measured in the worker. */
export interface LoadReport {
  info: ModelInfo;
  /** All three files came from the Cache API (no download). */
  fromCache: boolean;
  /** Where the files came from: downloaded, the Cache API, or handed over by the page (nothing fetched). */
  origin: 'network' | 'cache' | 'page';
  bytes: number;
  timing: { fetchMs: number; parseMs: number; uploadMs: number; warmupMs: number; totalMs: number };
  /** Tensors alive after load and warm-up: must stay put across requests. */
  numTensors: number;
}

/** An error as it crosses the boundary: `name` keeps InputError / ModelFileError recognisable. */
export interface WireError {
  name: string;
  message: string;
}

/** Page → worker. Every request carries an id; the answers to it carry the same id. */
export type InferenceRequest =
  /** `threads`: the wasm backend's thread count (this worker's share of the page's budget); absent: tfjs's default. */
  | { type: 'init'; id: number; backend: string | null; wasmPaths?: WasmPaths | null; threads?: number | null }
  | { type: 'load'; id: number; options: LoadOptions }
  | { type: 'run'; id: number; request: RunRequest }
  /** Drop run `target`: skipped if still queued, its answer discarded otherwise. */
  | { type: 'cancel'; id: number; target: number }
  | { type: 'dispose'; id: number }
  /** Test hooks (the page offers them only with `?crash-test`): an uncaught error, or the GPU device lost. */
  | { type: 'fault-test'; id: number; fault: WorkerFault };

/** Worker → page. */
export type InferenceResponse =
  | { type: 'ready'; id: number; report: BackendReport }
  | { type: 'progress'; id: number; progress: LoadProgress }
  | { type: 'loaded'; id: number; report: LoadReport }
  /** A fix answer holds what the search considered (`answer.search`): no other message carries it. */
  | { type: 'answer'; id: number; answer: Answer; numTensors: number }
  | { type: 'cancelled'; id: number }
  | { type: 'disposed'; id: number }
  | { type: 'error'; id: number; error: WireError }
  /** Not an answer to a request: the GPU device is gone, so the worker must be replaced. */
  | { type: 'device-lost'; id: null; message: string };

/** Compile-time proof that a switch handled every message type. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** A message a worker cannot act on (not an object, an unknown type, a field missing or of the wrong type). */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}
