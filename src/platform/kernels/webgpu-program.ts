// What tfjs-backend-webgpu 4.22 expects of a custom program (see its webgpu_program.ts), typed here
// because the kernels' realm has no WebGPU types, and the wrapper that puts a project kernel in
// front of tfjs's own; shared by the project's WebGPU kernels.
import { getKernel, type DataType, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { ProjectKernel } from './kernel-registry';

export interface WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size: boolean;
  /** Uniforms of the program's own, declared after tfjs's (given to runWebGPUProgram in order). */
  uniforms?: string;
  getUserCode(): string;
}

/** The parts of the webgpu backend the project's kernels use. */
export interface WebGpuBackendLike {
  runWebGPUProgram(
    program: WebGpuProgram,
    inputs: TensorInfo[],
    outputDtype: DataType,
    programUniforms?: Array<{ type: 'int32' | 'float32'; data: number[] }>,
    output?: TensorInfo,
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: DataType): TensorInfo;
  adapterInfo?: { architecture?: string; vendor?: string };
}

/** Threads per workgroup of the project's flat programs. */
const WORKGROUP = 64;
/** The most threads a flat program can have: WebGPU's default maxComputeWorkgroupsPerDimension. */
export const MAX_FLAT_THREADS = 65_535 * WORKGROUP;

/**
 * A program of `threads` threads in flat workgroups of WORKGROUP: tfjs calls the shader's
 * `main(index)` once per thread, index 0 … threads − 1 (the shader returns past its last item).
 */
export function flatProgram(spec: {
  outputShape: number[];
  shaderKey: string;
  variableNames: string[];
  threads: number;
  userCode: () => string;
}): WebGpuProgram {
  return {
    outputShape: spec.outputShape,
    shaderKey: spec.shaderKey,
    dispatchLayout: { x: spec.outputShape.map((_, axis) => axis) },
    dispatch: [Math.ceil(spec.threads / WORKGROUP), 1, 1],
    variableNames: spec.variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    size: false,
    getUserCode: spec.userCode,
  };
}

/**
 * A kernel for webgpu's `kernelName` that runs `direct` first and tfjs's own kernel when `direct`
 * declines (returns null), with tfjs's kernel to restore; null when tfjs has no such kernel. The
 * caller registers it (kernel-registry.ts).
 */
export function wrapWebgpuKernel(
  kernelName: string,
  direct: (args: Parameters<KernelFunc>[0]) => TensorInfo | null,
): ProjectKernel | null {
  const stock = getKernel(kernelName, 'webgpu');
  if (!stock) return null;
  const stockFunc = stock.kernelFunc;
  return { stock, ours: { ...stock, kernelFunc: (args) => direct(args) ?? stockFunc(args) } };
}
