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
  /** wasm only: the threads the backend runs with, as it reports them (getThreadsCount). */
  threads?: number;
}

/** Why a backend cannot start here, found before asking tfjs (null: nothing known against it). */
export type Precheck = (name: BackendName) => Promise<string | null>;

export interface SelectOptions {
  /** Order to try when nothing is requested. */
  order: readonly BackendName[];
  requested?: string | null;
  precheck?: Precheck;
  /** Per-attempt limit: a backend whose init hangs (a wasm pool whose threads never load would) must not hang the app. */
  timeoutMs?: number;
  /** Called after a backend starts, e.g. to register kernels; a throw counts as a failed start. */
  afterInit?: (name: BackendName) => Promise<void> | void;
  /** Starts a backend; tests replace it. */
  start?: (name: BackendName) => Promise<boolean>;
  /**
   * Why some backends were put late in `order` (a software-rendered GPU): each one not reached
   * before the backend that starts is reported as passed over with this reason.
   */
  deferred?: ReadonlyMap<BackendName, string>;
}

/** Renderers that run a "GPU" on the CPU: for this model they are slower than wasm. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render/i;

/** The software renderer named in an adapter or renderer string, or null for a hardware GPU. */
export function softwareRendererIn(text: string): string | null {
  return SOFTWARE_RENDERER.exec(text)?.[0] ?? null;
}

/** The badge's line for a software GPU left behind wasm. */
export function softwareGpuReason(name: BackendName, seen: string): string {
  return `software-rendered GPU (${seen}, emulated on the CPU) is slower than wasm here; ?backend=${name} uses it anyway`;
}

/**
 * The order to try when nothing is requested: backends whose GPU is software-rendered move to just
 * after wasm (before cpu), so a machine without a real GPU runs on its fastest backend.
 */
export function preferFastOrder(
  order: readonly BackendName[],
  software: ReadonlyMap<BackendName, string>,
): BackendName[] {
  const hardware = order.filter((name) => !software.has(name));
  const wasmAt = hardware.indexOf('wasm');
  if (wasmAt < 0 || software.size === 0) return [...order];
  return [
    ...hardware.slice(0, wasmAt + 1),
    ...order.filter((name) => software.has(name)),
    ...hardware.slice(wasmAt + 1),
  ];
}

/** " · 2 threads" for a backend that reports its threads, else nothing (the badges' wording). */
export function threadsText(report: Pick<BackendReport, 'threads'>): string {
  if (report.threads === undefined) return '';
  return ` · ${report.threads} thread${report.threads === 1 ? '' : 's'}`;
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
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
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
    fallbacks.push({
      backend: requested,
      reason: `unknown backend "${requested}"; use one of ${BACKEND_NAMES.join(', ')}`,
    });
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
      for (const [later, why] of options.deferred ?? []) {
        if (later !== name && !fallbacks.some((fallback) => fallback.backend === later))
          fallbacks.push({ backend: later, reason: why });
      }
      return { backend: name, requested, fallbacks, initMs: performance.now() - started };
    }
    fallbacks.push({ backend: name, reason });
  }
  throw new Error(
    `no TensorFlow.js backend could start: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`,
  );
}
