// The bench in the browser, shared by the bench page and its worker: bench.html's query, and one
// row run on the backend asked for. Touches no DOM (workers have none), only what both realms have
// (navigator, URLSearchParams).
import type { ModelPresetName } from '../../src/model';
import { initWebBackend } from '../../src/platform/web/web';
import { BACKEND_NAMES, type BackendName } from '../../src/platform/shared/select';
import { BENCH_PRESETS, benchRow } from '../../src/bench/bench-core';
import { MAX_THREADS, threadBudget } from '../../src/platform/shared/threads';
import type { BenchBackendInfo, BenchRequest } from './bench-protocol';
import type { BenchRow } from '../../src/bench/bench-table';

/** Reads the query; throws with the reason on a value it does not know. */
export function parseBenchQuery(search: string): BenchRequest {
  const query = new URLSearchParams(search);
  const backend = query.get('backend') ?? 'wasm';
  if (!(BACKEND_NAMES as readonly string[]).includes(backend))
    throw new Error(`unknown backend "${backend}": use one of ${BACKEND_NAMES.join(', ')}`);
  const preset = query.get('preset') ?? 'tiny';
  if (!(BENCH_PRESETS as readonly string[]).includes(preset))
    throw new Error(`unknown preset "${preset}": use one of ${BENCH_PRESETS.join(', ')}`);
  const runs = Number(query.get('runs') ?? '3');
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`runs must be a positive integer, got "${query.get('runs')}"`);
  const place = query.get('where') ?? 'page';
  if (place !== 'page' && place !== 'worker') throw new Error(`unknown place "${place}": use page or worker`);
  const baseline = query.get('baseline') ?? '1';
  if (baseline !== '0' && baseline !== '1') throw new Error(`baseline must be 0 or 1, got "${baseline}"`);
  const stock = query.get('stock') ?? '0';
  if (stock !== '0' && stock !== '1') throw new Error(`stock must be 0 or 1, got "${stock}"`);
  const profile = query.get('profile') ?? '1';
  if (profile !== '0' && profile !== '1') throw new Error(`profile must be 0 or 1, got "${profile}"`);
  const threadsAsked = query.get('threads');
  const threads = threadsAsked === null ? threadBudget(null, navigator.hardwareConcurrency) : Number(threadsAsked);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)
    throw new Error(`threads must be a whole number from 1 to ${MAX_THREADS}, got "${threadsAsked}"`);
  return {
    backend: backend as BackendName,
    preset: preset as ModelPresetName,
    runs,
    place,
    baseline: baseline === '1',
    stockBaseline: stock === '1',
    threads,
    profile: profile === '1',
  };
}

export function describeMachine(): string {
  const isolated = globalThis.crossOriginIsolated === true ? 'cross-origin isolated' : 'not cross-origin isolated';
  return `${navigator.userAgent} · ${navigator.hardwareConcurrency} logical cores · ${isolated}`;
}

/**
 * Starts the backend asked for and measures one row on it. A backend that does not start fails
 * the row: initWebBackend would fall back to another, and the row would be mislabelled.
 */
export async function runBrowserBench(
  request: BenchRequest,
  onPhase: (phase: string) => void,
): Promise<{ row: BenchRow; backendInfo: BenchBackendInfo }> {
  onPhase(`starting ${request.backend}`);
  // SwiftShader WebGPU can take a while to hand out a device: a minute before calling it failed.
  const report = await initWebBackend(request.backend, request.threads, 60_000);
  if (report.backend !== request.backend) {
    const reason = report.fallbacks.find((f) => f.backend === request.backend)?.reason ?? 'unknown reason';
    throw new Error(`${request.backend} did not start (${reason}); tfjs fell back to ${report.backend}`);
  }
  const adapter = report.adapter
    ? `${report.adapter.vendor} ${report.adapter.architecture} ${report.adapter.description}`.trim()
    : null;
  const backendInfo: BenchBackendInfo = {
    backend: report.backend,
    initMs: report.initMs,
    adapter,
    threads: report.threads ?? null,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
  const row = await benchRow(request.preset, request.backend, request.runs, request.baseline, {
    onPhase,
    stockBaseline: request.stockBaseline,
    profile: request.profile,
    environment: {
      cores: navigator.hardwareConcurrency,
      cpu: null, // browsers do not say
      crossOriginIsolated: backendInfo.crossOriginIsolated,
      threads: backendInfo.threads,
      torch: null,
    },
  });
  return { row, backendInfo };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
