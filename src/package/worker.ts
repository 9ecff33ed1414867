// The worker behind createWorkerOptimizer (browser.ts): the package's host of the checked inference
// handler, wired to this worker's messages.
import { createPackageInferenceHandler } from './worker-host';
import type { InferenceResponse } from '../worker/protocol';

const scope = self as unknown as { postMessage(message: InferenceResponse): void; onmessage: unknown };
const handler = createPackageInferenceHandler((message) => scope.postMessage(message));

scope.onmessage = (event: MessageEvent<unknown>) => {
  void handler.receive(event.data);
};
