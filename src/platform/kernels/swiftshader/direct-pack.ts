// Pack (tf.stack) along the first axis for WebGPU on a CPU adapter (SwiftShader): the inputs are
// copied into one output, seven to a program (WebGPU's default limit is eight storage buffers per
// shader stage, one of them the output), each thread one element with flat offsets.
//
// tfjs stacks through Concat, which for more than seven inputs concatenates groups and then the
// groups, copying the data twice or three times, each element through a chain of index conversions.
// On SwiftShader the stacks of a training step (the encoder's outputs and, in the backward pass,
// the steps' dz) were a large share of it (measured: docs/kernels-and-bench.md, "Measurements behind the code"). Registered with
// the direct matmul, on SwiftShader only; other axes and dtypes go to tfjs's kernel.
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import {
  flatProgram,
  wrapWebgpuKernel,
  MAX_FLAT_THREADS,
  type WebGpuBackendLike,
  type WebGpuProgram,
} from '../webgpu-program';
import type { ProjectKernel } from '../kernel-registry';

/** Inputs per program: WebGPU's default maxStorageBuffersPerShaderStage (8) less the output. */
const INPUTS_PER_PROGRAM = 7;

/** Copies `count` inputs of `size` elements into rows start … start + count − 1 of the output. */
function packProgram(count: number, rows: number, size: number): WebGpuProgram {
  const names = Array.from({ length: count }, (_, i) => `X${i}`);
  return {
    ...flatProgram({
      outputShape: [rows, size],
      shaderKey: `directPack_${count}`,
      variableNames: names,
      threads: count * size,
      userCode: () => `
  fn main(index : i32) {
    let size = uniforms.outShape.y;
    if (index >= ${count} * size) { return; }
    let k = index / size;
    let within = index - k * size;
    var v = 0.0;
    ${names.map((n, i) => `${i > 0 ? 'else ' : ''}if (k == ${i}) { v = f32(${n}[within]); }`).join('\n    ')}
    result[(uniforms.start + k) * size + within] = v;
  }`,
    }),
    uniforms: 'start : i32,',
  };
}

function runDirectPack(backend: WebGpuBackendLike, inputs: TensorInfo[], axis: number): TensorInfo | null {
  const first = inputs[0];
  if (!first || inputs.length < 2 || axis !== 0) return null;
  const shape = first.shape.join();
  if (inputs.some((t) => t.dtype !== 'float32' || t.shape.join() !== shape)) return null; // tfjs words the error
  const size = util.sizeFromShape(first.shape);
  if (size === 0 || size * INPUTS_PER_PROGRAM > MAX_FLAT_THREADS) return null;
  const rows = inputs.length;
  const output = backend.makeTensorInfo([rows, size], 'float32');
  for (let start = 0; start < rows; start += INPUTS_PER_PROGRAM) {
    const group = inputs.slice(start, start + INPUTS_PER_PROGRAM).map((t) => ({ ...t, shape: [size] }));
    backend.runWebGPUProgram(
      packProgram(group.length, rows, size),
      group,
      'float32',
      [{ type: 'int32', data: [start] }],
      output,
    );
  }
  return { ...output, shape: [rows, ...first.shape] };
}

/** The direct Pack for webgpu, around tfjs's; the caller registers it (swiftshader/register.ts). */
export function directPackKernels(): ProjectKernel[] {
  const pack = wrapWebgpuKernel('Pack', (args) =>
    runDirectPack(
      args.backend as WebGpuBackendLike,
      args.inputs as unknown as TensorInfo[],
      (args.attrs as { axis: number }).axis,
    ),
  );
  return pack ? [pack] : [];
}
