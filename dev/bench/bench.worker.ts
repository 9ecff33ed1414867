// The bench in a dedicated module worker (bench.html?where=worker): the page posts one request,
// the worker starts the backend, measures the row and posts phases, then the row or the error.
import { errorMessage, runBrowserBench } from './browser-bench';
import type { BenchRequest, BenchWorkerMessage } from './bench-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: BenchWorkerMessage) => scope.postMessage(message);

// A rejection nobody awaits (a kernel failing late) must still end the row, not leave it running.
scope.addEventListener('unhandledrejection', (event) =>
  post({ type: 'failed', error: `unhandled rejection: ${errorMessage(event.reason)}` }),
);

scope.addEventListener('message', (event: MessageEvent<BenchRequest>) => {
  runBrowserBench(event.data, (phase) => post({ type: 'phase', phase })).then(
    ({ row, backendInfo }) => post({ type: 'done', row, backendInfo }),
    (error: unknown) => post({ type: 'failed', error: errorMessage(error) }),
  );
});
