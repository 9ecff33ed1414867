// The package's worker on the app's checked inference handler (src/worker/inference-handler.ts):
// the same messages, checks, cancellation and error names as the app's worker. Only the host
// differs: the backend is tfjs's choice or the one asked for (not the app's fastest-first order),
// the files are fetched plainly (no Cache API), and there are no fault hooks.
import { createInferenceHandler, type InferenceHandler } from '../worker/inference-handler';
import { watchDevice } from '../worker/device-faults';
import { ProtocolError, type InferenceResponse } from '../worker/protocol';
import { isBackendName } from '../platform/shared/select';
import { fetchFiles, startBackend } from './backend';

export function createPackageInferenceHandler(post: (message: InferenceResponse) => void): InferenceHandler {
  return createInferenceHandler({
    post,
    async initBackend(requested, wasmPaths) {
      const started = performance.now();
      const backend = await startBackend({ backend: requested ?? undefined, wasmPaths: wasmPaths ?? undefined });
      if (!isBackendName(backend)) throw new Error(`lstm-coding-optimizer: tfjs runs the unknown backend "${backend}"`);
      return { backend, requested, adapter: null, fallbacks: [], initMs: performance.now() - started };
    },
    watchDevice,
    async fetchModelFiles(folderUrl) {
      const files = await fetchFiles(folderUrl);
      const bytes = files.weights.byteLength + files.config.length + files.tokenizer.length;
      return { files, fromCache: false, bytes, commit: async () => {} };
    },
    injectFault(fault) {
      throw new ProtocolError(`the package's worker has no fault hooks ("${fault}")`);
    },
  });
}
