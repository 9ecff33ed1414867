// What bench.html asks for, what its worker answers, and what it shows on window.benchResult:
// types only, so the Playwright files (e2e/bench.*.ts) read the same shapes without loading tfjs.
import type { ModelPresetName } from '../../src/model';
import type { BackendName } from '../../src/platform/shared/select';
import type { BenchRow } from '../../src/bench/bench-table';

export type BenchPlace = 'page' | 'worker';

/** bench.html?backend=webgpu|webgl|wasm|cpu&preset=tiny|small|seed&runs=N&where=page|worker&baseline=0|1&stock=0|1&threads=N&profile=0|1 */
export interface BenchRequest {
  backend: BackendName;
  preset: ModelPresetName;
  runs: number;
  place: BenchPlace;
  baseline: boolean;
  /** Also time the baseline on stock tfjs kernels where the project replaced them (SwiftShader). */
  stockBaseline: boolean;
  /** wasm's thread count: `threads=N`, else the machine's logical cores (the app's whole budget). */
  threads: number;
  /** Also profile the row and measure its floor (slow at seed size); `profile=0` for timings only. */
  profile: boolean;
}

/** How the backend started: init time and, on WebGPU, the adapter (SwiftShader or a real GPU). */
export interface BenchBackendInfo {
  backend: BackendName;
  initMs: number;
  adapter: string | null;
  /** The threads the wasm backend reports it runs with; null on other backends. */
  threads: number | null;
  /** Whether the realm that ran the row (the page or the worker) was cross-origin isolated. */
  crossOriginIsolated: boolean;
}

/** window.benchResult, and the JSON the page shows. */
export interface BenchResult {
  status: 'running' | 'done' | 'failed';
  request: BenchRequest | null;
  /** The phase running now, or the one that failed ("train 2/5", "beam-5 1/3", …). */
  phase: string;
  row: BenchRow | null;
  error: string | null;
  backendInfo: BenchBackendInfo | null;
  /** The browser and its cores, so figures from different machines are not compared blindly. */
  machine: string;
  elapsedMs: number;
}

export type BenchWorkerMessage =
  | { type: 'phase'; phase: string }
  | { type: 'done'; row: BenchRow; backendInfo: BenchBackendInfo }
  | { type: 'failed'; error: string };
