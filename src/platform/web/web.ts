// Backend start-up in the browser: the page and dedicated workers both use this file, so it only
// touches what both have (navigator.gpu, fetch), never the DOM.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; training needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite serves the wasm binaries and hands us their URLs; tfjs would otherwise look for them
// next to the bundle, where they are not.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerProjectKernels } from '../kernels/register';
import { giveThreadsTheUnminifiedFactory, reportCoresForThreads } from './wasm-threads';
import {
  BACKEND_NAMES,
  isBackendName,
  preferFastOrder,
  selectBackend,
  softwareGpuReason,
  softwareRendererIn,
  threadsText,
  type AdapterSummary,
  type BackendName,
  type BackendReport,
} from '../shared/select';

export type { BackendReport, BackendName } from '../shared/select';

let wasmConfigured = false;
/** Puts back navigator.hardwareConcurrency once the wasm backend has started (wasm-threads.ts). */
let restoreCores: (() => void) | null = null;
/**
 * Points tfjs at the binaries and sets the thread count (null: tfjs's default, the machine's
 * cores). The threaded build runs only where the page is cross-origin isolated (tfjs checks for
 * SharedArrayBuffer itself); one thread asks for the plain SIMD build, which starts no pool.
 */
function configureWasm(threads: number | null): void {
  if (wasmConfigured) return;
  wasmConfigured = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  if (threads === 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return;
  }
  giveThreadsTheUnminifiedFactory();
  if (threads === null) return;
  setThreadsCount(threads);
  restoreCores = reportCoresForThreads(threads);
}

/** The threads the wasm backend runs with, as it reports them (the build without threads: 1). */
function wasmThreads(): number {
  try {
    return Math.max(1, getThreadsCount()); // the plain build has no pool and may say -1
  } catch {
    return 1; // not started: cannot happen after a wasm start, and 1 is what a plain build runs
  }
}

let adapterSeen: AdapterSummary | null = null;

/** Reasons we can tell before asking tfjs, so the badge says something better than "failed". */
async function precheck(name: BackendName, threads: number | null): Promise<string | null> {
  if (name === 'webgpu') {
    if (!('gpu' in navigator) || !navigator.gpu) {
      return 'navigator.gpu is missing: this browser has no WebGPU here (Chromium on Linux needs --enable-unsafe-webgpu)';
    }
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter)
      return 'navigator.gpu.requestAdapter() returned no adapter: no usable GPU here (Chromium on Linux needs --enable-unsafe-webgpu)';
    const info = adapter.info;
    adapterSeen = {
      vendor: info?.vendor || 'unknown vendor',
      architecture: info?.architecture || 'unknown architecture',
      description: info?.description || '',
    };
  }
  if (name === 'wasm') configureWasm(threads);
  return null;
}

/** What WebGPU's adapter says it is: a software one names its renderer or flags itself a fallback. */
async function softwareWebGpu(): Promise<string | null> {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info;
  const named = softwareRendererIn(`${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.description ?? ''}`);
  return named ?? (info?.isFallbackAdapter ? 'WebGPU fallback adapter' : null);
}

/** WebGL's renderer string (unmasked where the browser allows), checked for a software renderer. */
function softwareWebGl(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return null;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return softwareRendererIn(renderer);
}

/** The GPU backends here whose GPU is emulated on the CPU, each with the reason for the badge. */
async function findSoftwareGpus(): Promise<Map<BackendName, string>> {
  const found = new Map<BackendName, string>();
  const probes: [BackendName, () => Promise<string | null> | string | null][] = [
    ['webgpu', softwareWebGpu],
    ['webgl', softwareWebGl],
  ];
  for (const [name, probe] of probes) {
    try {
      const seen = await probe();
      if (seen) found.set(name, softwareGpuReason(name, seen));
    } catch {
      // A probe that throws proves nothing: the backend keeps its place and its own start decides.
    }
  }
  return found;
}

/** Reads `?backend=NAME` from a query string; null when absent or empty. */
export function requestedBackendFromQuery(search: string): string | null {
  const value = new URLSearchParams(search).get('backend');
  return value ? value.trim().toLowerCase() : null;
}

/**
 * Starts tfjs on the fastest backend available (webgpu > webgl > wasm > cpu, but a GPU emulated on
 * the CPU goes after wasm), or on `requested` first. Each attempt has a time limit; every backend
 * passed over is reported with its reason. `threads`: the wasm backend's thread count (this
 * worker's share of the page's budget, src/platform/shared/threads.ts); null leaves tfjs's default.
 */
export async function initWebBackend(
  requested: string | null,
  threads: number | null = null,
  timeoutMs = 30_000,
): Promise<BackendReport> {
  // A request for a backend we know is honoured as asked: no probing, it goes first.
  const software = requested && isBackendName(requested) ? new Map<BackendName, string>() : await findSoftwareGpus();
  let report: Awaited<ReturnType<typeof selectBackend>>;
  try {
    report = await selectBackend({
      order: preferFastOrder(BACKEND_NAMES, software),
      deferred: software,
      requested,
      precheck: (name) => precheck(name, threads),
      timeoutMs,
      afterInit: registerProjectKernels,
    });
  } finally {
    restoreCores?.();
    restoreCores = null;
  }
  return {
    ...report,
    adapter: report.backend === 'webgpu' ? adapterSeen : null,
    ...(report.backend === 'wasm' ? { threads: wasmThreads() } : {}),
  };
}

/** One line for a badge: "webgpu · google swiftshader" or "wasm · 2 threads". */
export function describeBackend(report: BackendReport): string {
  const adapter = report.adapter ? ` · ${report.adapter.vendor} ${report.adapter.architecture}`.trimEnd() : '';
  return `${report.backend}${adapter}${threadsText(report)}`;
}
