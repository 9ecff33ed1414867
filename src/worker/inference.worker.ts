// The inference worker: owns a tfjs backend and the model off the main thread, so the page never
// freezes. The message handling is in inference-handler.ts; this file wires it to the worker's
// globals: postMessage, the web backend, the Cache API download and the fault hooks.
import { initWebBackend } from '../platform/web/web';
import { injectWorkerFault, watchDevice } from './device-faults';
import { createInferenceHandler } from './inference-handler';
import { fetchModelFiles } from './model-fetch';
import type { InferenceResponse } from './protocol';
import { TEST_HOOKS, TEST_HOOKS_ABSENT } from './test-build';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const handler = createInferenceHandler({
  post: (message: InferenceResponse) => scope.postMessage(message),
  // The build knows where the wasm binaries are; the page says how many threads this worker gets.
  initBackend: (requested, _wasmPaths, threads) => initWebBackend(requested, threads),
  watchDevice,
  fetchModelFiles,
  injectFault: (fault) => {
    if (!TEST_HOOKS) throw new Error(TEST_HOOKS_ABSENT);
    injectWorkerFault(fault, 'inference');
  },
});

scope.onmessage = (event: MessageEvent<unknown>) => {
  void handler.receive(event.data);
};
