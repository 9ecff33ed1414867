// bench.html: one row of the bench (bench-core.ts) in this browser, on the backend and in
// the place the query asks for (see parseBenchQuery). The result goes on window.benchResult and, as
// JSON, into the page, where e2e/bench.spec.ts and e2e/bench.measure.ts read it. Every failure,
// in the page or the worker, ends as status 'failed' with its message.
import { describeMachine, errorMessage, parseBenchQuery, runBrowserBench } from './browser-bench';
import type { BenchBackendInfo, BenchRequest, BenchResult, BenchWorkerMessage } from './bench-protocol';
import type { BenchRow } from '../../src/bench/bench-table';

declare global {
  interface Window {
    benchResult: BenchResult;
  }
}

const started = performance.now();
const result: BenchResult = {
  status: 'running',
  request: null,
  phase: 'parsing the query',
  row: null,
  error: null,
  backendInfo: null,
  machine: describeMachine(),
  elapsedMs: 0,
};
window.benchResult = result;

function byTestId(id: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`bench.html has no ${id}`);
  return element;
}

function show(): void {
  result.elapsedMs = performance.now() - started;
  const status = byTestId('bench-status');
  status.textContent =
    result.status === 'failed'
      ? `failed: ${result.error}`
      : result.status === 'running'
        ? `running: ${result.phase}`
        : 'done';
  status.dataset.status = result.status;
  byTestId('bench-result').textContent = JSON.stringify(result, null, 2);
}

function setPhase(phase: string): void {
  result.phase = phase;
  show();
}

function runInWorker(request: BenchRequest): Promise<{ row: BenchRow; backendInfo: BenchBackendInfo }> {
  return new Promise((resolve, reject) => {
    // A literal URL: Vite emits the worker only when it sees new URL('…', import.meta.url) here.
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
    const finish = () => worker.terminate();
    worker.addEventListener('message', (event: MessageEvent<BenchWorkerMessage>) => {
      const message = event.data;
      if (message.type === 'phase') setPhase(message.phase);
      else if (message.type === 'done') {
        finish();
        resolve({ row: message.row, backendInfo: message.backendInfo });
      } else {
        finish();
        reject(new Error(message.error));
      }
    });
    worker.addEventListener('error', (event) => {
      finish();
      reject(new Error(`the bench worker failed: ${event.message || 'it could not load or threw at the top level'}`));
    });
    worker.addEventListener('messageerror', () => {
      finish();
      reject(new Error('the bench worker sent a message the page could not read'));
    });
    worker.postMessage(request);
  });
}

async function run(): Promise<void> {
  const request = parseBenchQuery(location.search);
  result.request = request;
  byTestId('bench-request').textContent =
    `${request.preset} on ${request.backend}, in the ${request.place}, ${request.runs} timed run(s), baseline ${request.baseline ? 'on' : 'off'}, ${request.threads} thread(s) asked`;
  const measured = request.place === 'worker' ? await runInWorker(request) : await runBrowserBench(request, setPhase);
  result.row = measured.row;
  result.backendInfo = measured.backendInfo;
  const threads = byTestId('bench-threads');
  threads.textContent =
    measured.backendInfo.threads === null ? 'no thread count (not wasm)' : `${measured.backendInfo.threads}`;
  threads.dataset.threads = String(measured.backendInfo.threads ?? '');
  threads.dataset.crossOriginIsolated = String(measured.backendInfo.crossOriginIsolated);
  result.status = 'done';
  show();
}

// In the page, a rejection nobody awaits (a kernel failing late) must still end the run.
window.addEventListener('unhandledrejection', (event) => {
  if (result.status !== 'running') return;
  result.status = 'failed';
  result.error = `unhandled rejection: ${errorMessage(event.reason)}`;
  show();
});

show();
run().catch((error: unknown) => {
  result.status = 'failed';
  result.error = errorMessage(error);
  show();
});
