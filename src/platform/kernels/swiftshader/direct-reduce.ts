// Sum, Mean, Max, Softmax and UnsortedSegmentSum for WebGPU on a CPU adapter (SwiftShader): one
// thread per output (per row for Softmax, per column for the segment sum), a plain loop over the
// reduced elements, no workgroup memory, no barriers, no transpose.
//
// tfjs reduces with up to 256 threads per output that meet at barriers, and first transposes the
// input when the axes are not the innermost. On SwiftShader each barrier parks and resumes every
// invocation, so with the direct matmul in place these reductions became the largest cost of a
// tiny training step (measured: docs/kernels-and-bench.md, "Measurements behind the code"). Any contiguous run of axes is
// read in place as [outer, reduced, inner]; other axis sets, other dtypes and very long reductions
// into few outputs go to tfjs's kernel. Registered with the direct matmul, on SwiftShader only.
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import {
  flatProgram,
  MAX_FLAT_THREADS,
  wrapWebgpuKernel,
  type WebGpuBackendLike,
  type WebGpuProgram,
} from '../webgpu-program';
import type { ProjectKernel } from '../kernel-registry';

type ReduceKind = 'sum' | 'mean' | 'max';
const KERNELS: Record<ReduceKind, 'Sum' | 'Mean' | 'Max'> = { sum: 'Sum', mean: 'Mean', max: 'Max' };
/** Beyond this many elements per output, a lone thread per output is slower than tfjs's workgroup. */
const LONG_REDUCTION = 16_384;
const FEW_OUTPUTS = 256;

function reduceProgram(kind: ReduceKind, outer: number, inner: number): WebGpuProgram {
  const init = kind === 'max' ? '-3.402823466e+38' : '0.0';
  // Max lets a NaN through, as a NaN loss must stay visible to the trainer's guard.
  const accumulate = kind === 'max' ? 'if (v != v || v > acc) { acc = v; } if (v != v) { break; }' : 'acc += v;';
  const finish = kind === 'mean' ? 'acc / f32(reduced)' : 'acc';
  return flatProgram({
    outputShape: [outer, inner],
    shaderKey: `directReduce_${kind}`,
    variableNames: ['X'],
    threads: outer * inner,
    userCode: () => `
  fn main(index : i32) {
    let reduced = uniforms.xShape.y;
    let inner = uniforms.xShape.z;
    if (index >= uniforms.xShape.x * inner) { return; }
    let o = index / inner;
    let base = o * reduced * inner + (index - o * inner);
    var acc = ${init};
    for (var r = 0; r < reduced; r++) {
      let v = f32(X[base + r * inner]); // the buffer of a float cast from int32 holds i32
      ${accumulate}
    }
    result[index] = ${finish};
  }`,
  });
}

/** Axes of a reduction as given to the kernel (number, list or absent = all), normalised and sorted. */
function normaliseAxes(axis: number | number[] | undefined | null, rank: number): number[] {
  const list = axis === undefined || axis === null ? [...Array(rank).keys()] : Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

function runDirect(
  kind: ReduceKind,
  backend: WebGpuBackendLike,
  x: TensorInfo,
  axis: number | number[] | undefined,
  keepDims: boolean,
): TensorInfo | null {
  if (x.dtype !== 'float32') return null;
  const rank = x.shape.length;
  const axes = normaliseAxes(axis, rank);
  if (axes.length === 0 || axes.some((a) => a < 0 || a >= rank)) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 !== axes.length) return null; // not one contiguous run
  const size = (from: number, to: number) => util.sizeFromShape(x.shape.slice(from, to));
  const outer = size(0, first);
  const reduced = size(first, last + 1);
  const inner = size(last + 1, rank);
  if (outer * inner === 0 || reduced === 0) return null;
  if (reduced > LONG_REDUCTION && outer * inner < FEW_OUTPUTS) return null;
  if (outer * inner > MAX_FLAT_THREADS) return null;
  const out = backend.runWebGPUProgram(
    reduceProgram(kind, outer, inner),
    [{ ...x, shape: [outer, reduced, inner] }],
    'float32',
  );
  const shape = keepDims
    ? x.shape.map((d, a) => (axes.includes(a) ? 1 : d))
    : x.shape.filter((_, a) => !axes.includes(a));
  return { ...out, shape };
}

/**
 * Softmax over the last axis, one thread per row: max, sum of exponentials, then each output. tfjs's
 * program reduces each row with a workgroup that meets at barriers: on SwiftShader the attention's
 * softmax over 60 source positions was slow there. A NaN anywhere in a row makes the row NaN.
 */
function softmaxProgram(rows: number, cols: number): WebGpuProgram {
  return flatProgram({
    outputShape: [rows, cols],
    shaderKey: 'directSoftmax',
    variableNames: ['X'],
    threads: rows,
    userCode: () => `
  fn main(index : i32) {
    let cols = uniforms.xShape.y;
    if (index >= uniforms.xShape.x) { return; }
    let base = index * cols;
    var top = -3.402823466e+38;
    for (var j = 0; j < cols; j++) { top = max(top, f32(X[base + j])); }
    var total = 0.0;
    for (var j = 0; j < cols; j++) { total += exp(f32(X[base + j]) - top); }
    for (var j = 0; j < cols; j++) { result[base + j] = exp(f32(X[base + j]) - top) / total; }
  }`,
  });
}

function runDirectSoftmax(backend: WebGpuBackendLike, logits: TensorInfo, dim: number): TensorInfo | null {
  const rank = logits.shape.length;
  if (logits.dtype !== 'float32' || rank === 0 || (dim !== -1 && dim !== rank - 1)) return null;
  const cols = logits.shape[rank - 1]!;
  const rows = util.sizeFromShape(logits.shape.slice(0, -1));
  if (rows * cols === 0 || rows > MAX_FLAT_THREADS || (cols > LONG_REDUCTION && rows < FEW_OUTPUTS)) return null;
  const out = backend.runWebGPUProgram(softmaxProgram(rows, cols), [{ ...logits, shape: [rows, cols] }], 'float32');
  return { ...out, shape: logits.shape };
}

/**
 * UnsortedSegmentSum (the gradient of tf.gather, so of each embedding): one thread per inner
 * element j, which zeroes column j of the output, then adds every row of x into its segment.
 * tfjs's kernel transposes x, fills the output and adds with atomics, then transposes back: on
 * SwiftShader that is slow for an embedding gradient. Ids outside [0, numSegments) are
 * dropped, as TensorFlow does.
 */
function segmentSumProgram(numSegments: number, inner: number): WebGpuProgram {
  return flatProgram({
    outputShape: [numSegments, inner],
    shaderKey: 'directSegmentSum',
    variableNames: ['X', 'Ids'],
    threads: inner,
    userCode: () => `
  fn main(index : i32) {
    let segments = uniforms.outShape.x;
    let inner = uniforms.outShape.y;
    if (index >= inner) { return; }
    for (var s = 0; s < segments; s++) { result[s * inner + index] = 0.0; }
    for (var r = 0; r < uniforms.xShape.x; r++) {
      let s = i32(Ids[r]);
      if (s >= 0 && s < segments) { result[s * inner + index] += f32(X[r * inner + index]); }
    }
  }`,
  });
}

function runDirectSegmentSum(
  backend: WebGpuBackendLike,
  x: TensorInfo,
  ids: TensorInfo,
  numSegments: number,
): TensorInfo | null {
  if (x.dtype !== 'float32' || ids.dtype !== 'int32' || ids.shape.some((n, d) => n !== x.shape[d])) return null;
  const rows = util.sizeFromShape(ids.shape);
  const innerShape = x.shape.slice(ids.shape.length);
  const inner = util.sizeFromShape(innerShape);
  if (rows * inner * numSegments === 0 || inner > MAX_FLAT_THREADS) return null;
  const out = backend.runWebGPUProgram(
    segmentSumProgram(numSegments, inner),
    [
      { ...x, shape: [rows, inner] },
      { ...ids, shape: [rows] },
    ],
    'float32',
  );
  return { ...out, shape: [numSegments, ...innerShape] };
}

function wrap(kind: ReduceKind): ProjectKernel | null {
  return wrapWebgpuKernel(KERNELS[kind], (args) => {
    const attrs = args.attrs as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
    const x = (args.inputs as { x: TensorInfo }).x;
    return runDirect(
      kind,
      args.backend as WebGpuBackendLike,
      x,
      kind === 'max' ? attrs.reductionIndices : attrs.axis,
      attrs.keepDims,
    );
  });
}

/** The direct Sum, Mean, Max, Softmax and UnsortedSegmentSum for webgpu, around tfjs's; the caller registers them (swiftshader/register.ts). */
export function directReduceKernels(): ProjectKernel[] {
  const softmax = wrapWebgpuKernel('Softmax', (args) => {
    const dim = (args.attrs as { dim: number }).dim;
    return runDirectSoftmax(args.backend as WebGpuBackendLike, (args.inputs as { logits: TensorInfo }).logits, dim);
  });
  const segmentSum = wrapWebgpuKernel('UnsortedSegmentSum', (args) => {
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    return runDirectSegmentSum(
      args.backend as WebGpuBackendLike,
      x,
      segmentIds,
      (args.attrs as { numSegments: number }).numSegments,
    );
  });
  return [wrap('sum'), wrap('mean'), wrap('max'), softmax, segmentSum].filter((k): k is ProjectKernel => k !== null);
}
