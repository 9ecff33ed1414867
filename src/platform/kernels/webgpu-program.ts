// What tfjs-backend-webgpu 4.22 expects of a custom program (see its webgpu_program.ts), typed here
// because the model's realm has no WebGPU types, and the wrapper that puts a project kernel in front
// of tfjs's own; shared by the project's WebGPU kernels.
import { getKernel, registerKernel, unregisterKernel, type DataType, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

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
export const WORKGROUP = 64;
/** The most threads a flat program can have: WebGPU's default maxComputeWorkgroupsPerDimension. */
export const MAX_FLAT_THREADS = 65_535 * WORKGROUP;

/**
 * A program of `threads` threads in flat workgroups of WORKGROUP: tfjs calls the shader's
 * `main(index)` once per thread, index 0 … threads − 1 (the shader returns past its last item).
 */
export function flatProgram(spec: { outputShape: number[]; shaderKey: string; variableNames: string[]; threads: number; userCode: () => string }): WebGpuProgram {
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

/** True when the adapter is SwiftShader, the CPU implementation of WebGPU. */
export function isCpuWebgpuAdapter(backend: unknown): boolean {
  return (backend as WebGpuBackendLike | null)?.adapterInfo?.architecture === 'swiftshader';
}

/**
 * Replaces tfjs's webgpu kernel `kernelName` by one that runs `direct` first and tfjs's own kernel
 * when `direct` declines (returns null). Does nothing when tfjs has no such kernel.
 */
export function wrapWebgpuKernel(kernelName: string, direct: (args: Parameters<KernelFunc>[0]) => TensorInfo | null): void {
  const stock = getKernel(kernelName, 'webgpu');
  if (!stock) return;
  const stockFunc = stock.kernelFunc;
  unregisterKernel(kernelName, 'webgpu');
  registerKernel({ ...stock, kernelFunc: (args) => direct(args) ?? stockFunc(args) });
}
