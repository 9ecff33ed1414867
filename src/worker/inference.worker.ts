// The inference worker: owns a tfjs backend off the main thread so the page never freezes.
import { initWebBackend } from '../platform/web';
import { assertNever, type InferenceRequest, type InferenceResponse } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: InferenceResponse): void {
  scope.postMessage(message);
}

async function handle(request: InferenceRequest): Promise<void> {
  switch (request.type) {
    case 'init': {
      const report = await initWebBackend(request.backend);
      post({ type: 'ready', id: request.id, report });
      return;
    }
    default:
      assertNever(request.type);
  }
}

scope.onmessage = (event: MessageEvent<InferenceRequest>) => {
  const request = event.data;
  handle(request).catch((error: unknown) => {
    post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  });
};
