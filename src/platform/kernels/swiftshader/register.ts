// The kernels for WebGPU on a CPU adapter (SwiftShader): barrier-free matmuls, reductions, softmax
// and stacking. They suit a CPU adapter only; on a real GPU tfjs's own programs run, so they are
// registered only when the adapter is SwiftShader (../register.ts asks swiftshaderKernelGroups).
import type { ProjectKernel } from '../kernel-registry';
import type { WebGpuBackendLike } from '../webgpu-program';
import { directMatMulKernels } from './direct-matmul';
import { directPackKernels } from './direct-pack';
import { directReduceKernels } from './direct-reduce';

/** True when the adapter is SwiftShader, the CPU implementation of WebGPU. */
function isCpuWebgpuAdapter(backend: unknown): boolean {
  return (backend as WebGpuBackendLike | null)?.adapterInfo?.architecture === 'swiftshader';
}

const GROUPS = {
  'swiftshader-matmul': directMatMulKernels,
  'swiftshader-reduce': directReduceKernels,
  'swiftshader-pack': directPackKernels,
} as const;

export type SwiftshaderGroup = keyof typeof GROUPS;

/**
 * The groups to register on this webgpu backend, each as a builder (it wraps the kernels tfjs has
 * registered now); none unless the adapter is SwiftShader.
 */
export function swiftshaderKernelGroups(backend: unknown): Array<[SwiftshaderGroup, () => ProjectKernel[]]> {
  return isCpuWebgpuAdapter(backend)
    ? (Object.entries(GROUPS) as Array<[SwiftshaderGroup, () => ProjectKernel[]]>)
    : [];
}
