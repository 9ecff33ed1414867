// Backend start-up in Node (CLI and unit tests): wasm, the fastest here, then the pure-JS cpu backend.
// Gradients: tfjs-core's ESM registration files cannot be imported by Node, the umbrella
// package's CommonJS bundle registers them (in the registry every tfjs copy shares).
import '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerProjectKernels } from '../kernels/register';
import { selectBackend, type BackendName, type BackendReport } from '../shared/select';

/**
 * The cpu backend prints "looks like you are running TensorFlow.js in Node.js… install tfjs-node"
 * on its first tensor. tfjs-node cannot be installed here and wasm is our fast path, so the banner
 * misleads: register the same backend with its "already shown" flag set. Only that banner goes;
 * every other tfjs warning still prints.
 */
function registerQuietCpuBackend(): void {
  tf.removeBackend('cpu');
  tf.registerBackend(
    'cpu',
    () => {
      const backend = new MathBackendCPU();
      (backend as unknown as { firstUse: boolean }).firstUse = false;
      return backend;
    },
    1,
  );
}
registerQuietCpuBackend();

const NODE_BACKEND_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

async function precheck(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' || name === 'webgl') return `${name} is not available in Node; use wasm or cpu`;
  return null;
}

export async function initNodeBackend(requested: string | null = null, timeoutMs = 30_000): Promise<BackendReport> {
  // Node never runs the threaded wasm build (it needs worker_threads glue we do not ship).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const report = await selectBackend({
    order: NODE_BACKEND_ORDER,
    requested,
    precheck,
    timeoutMs,
    afterInit: registerProjectKernels,
  });
  return { ...report, adapter: null };
}
