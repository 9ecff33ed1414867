// The project's kernels for the backend tfjs just started, in Node and the browser alike: the
// fast wasm slices and matmuls and UnsortedSegmentSum, the cpu UnsortedSegmentSum, and WebGPU's
// AddN of more than 7 inputs and, on SwiftShader, barrier-free matmuls, reductions, softmax and
// stacking. Each is idempotent.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../select';
import { registerCpuKernels } from './cpu-kernels';
import { registerWasmKernels } from './wasm-kernels';
import { installChunkedWebgpuAddN } from './webgpu-addn';
import { installDirectWebgpuMatMul } from './webgpu-direct-matmul';
import { installDirectWebgpuPack } from './webgpu-direct-pack';
import { installDirectWebgpuReduce } from './webgpu-direct-reduce';
import { isCpuWebgpuAdapter } from './webgpu-program';

export function registerProjectKernels(backend: BackendName): void {
  if (backend === 'wasm') registerWasmKernels();
  if (backend === 'cpu') registerCpuKernels();
  if (backend === 'webgpu') {
    installChunkedWebgpuAddN();
    // Barrier-free matmuls, reductions and softmax suit a CPU adapter only; a real GPU keeps tfjs's programs.
    if (isCpuWebgpuAdapter(tf.backend())) {
      installDirectWebgpuMatMul();
      installDirectWebgpuReduce();
      installDirectWebgpuPack();
    }
  }
}
