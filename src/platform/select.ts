// Backend selection shared by the page, the workers and Node: try each backend in order, with a
// time limit on every attempt, and keep the reason each one was passed over.
import * as tf from '@tensorflow/tfjs-core';

export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendFallback {
  /** A backend name, or the unknown name that was requested. */
  backend: string;
  reason: string;
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
}

export interface BackendReport {
  /** The backend tfjs now runs on. */
  backend: BackendName;
  /** What `?backend=` (or the CLI) asked for, if anything. */
  requested: string | null;
  /** WebGPU only: the adapter tfjs got. */
  adapter: AdapterSummary | null;
  /** Backends tried before `backend`, each with why it was not used. */
  fallbacks: BackendFallback[];
  /** Milliseconds spent choosing and starting the backend. */
  initMs: number;
}

/** Why a backend cannot start here, found before asking tfjs (null: nothing known against it). */
export type Precheck = (name: BackendName) => Promise<string | null>;

export interface SelectOptions {
  /** Order to try when nothing is requested. */
  order: readonly BackendName[];
  requested?: string | null;
  precheck?: Precheck;
  /** Per-attempt limit: a backend whose init hangs (threaded wasm does) must not hang the app. */
  timeoutMs?: number;
  /** Called after a backend starts, e.g. to register kernels; a throw counts as a failed start. */
  afterInit?: (name: BackendName) => Promise<void> | void;
  /** Starts a backend; tests replace it. */
  start?: (name: BackendName) => Promise<boolean>;
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** The order of attempts: the requested backend first (if it is one we know), then the rest. */
export function attemptOrder(order: readonly BackendName[], requested: string | null | undefined): BackendName[] {
  if (requested && isBackendName(requested)) {
    return [requested, ...order.filter((name) => name !== requested)];
  }
  return [...order];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Starts the first backend that works and reports what happened. Throws only if none starts. */
export async function selectBackend(options: SelectOptions): Promise<Omit<BackendReport, 'adapter'>> {
  const started = performance.now();
  const requested = options.requested ?? null;
  const fallbacks: BackendFallback[] = [];
  if (requested !== null && !isBackendName(requested)) {
    // Not a silent fallback: the badge shows that the request was not understood.
    fallbacks.push({ backend: requested, reason: `unknown backend "${requested}"; use one of ${BACKEND_NAMES.join(', ')}` });
  }
  for (const name of attemptOrder(options.order, requested)) {
    const start = options.start ?? ((backend: BackendName) => tf.setBackend(backend));
    const known = options.start !== undefined || tf.findBackendFactory(name) != null;
    let reason: string | null = known ? null : `the ${name} backend is not available in this build`;
    if (reason === null && options.precheck) reason = await options.precheck(name);
    if (reason === null) {
      try {
        const ok = await withTimeout(start(name), options.timeoutMs ?? 30_000, `starting ${name}`);
        if (!ok) reason = `tf.setBackend('${name}') failed to initialise the backend`;
        else await options.afterInit?.(name);
      } catch (error) {
        reason = describeError(error);
      }
    }
    if (reason === null) {
      return { backend: name, requested, fallbacks, initMs: performance.now() - started };
    }
    fallbacks.push({ backend: name, reason });
  }
  throw new Error(`no TensorFlow.js backend could start: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
}
