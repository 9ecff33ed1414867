// UnsortedSegmentSum, the gradient of tf.gather (so of every embedding), for wasm and cpu. Stock
// tfjs-backend-wasm 4.22 has none, so an embedding cannot be trained on wasm without it; stock
// cpu has one that runs tensor ops per segment, most of a cpu training step (measured: docs/kernels-and-bench.md, "Measurements behind the code").
// Plain JS loops over the backends' own memory: the embedding gradient of a seed-size batch is
// about 2,000 rows of 256 adds, well under a millisecond.
import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { asWasmBackend, heapBytes, type KernelArgs, memoryOffsetOf } from './wasm-heap';

interface SegmentSumShape {
  rows: number; // entries of segmentIds
  inner: number; // elements of x per row
  innerShape: number[];
  numSegments: number;
}

/** Checks the inputs (as TensorFlow does) and measures them. */
function segmentSumShape(args: KernelArgs, backendName: string): SegmentSumShape {
  const x = args.inputs.x as TensorInfo;
  const segmentIds = args.inputs.segmentIds as TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (x.dtype !== 'float32' && x.dtype !== 'int32')
    throw new Error(`UnsortedSegmentSum (${backendName}): unsupported dtype ${x.dtype}`);
  if (segmentIds.dtype !== 'int32')
    throw new Error(`UnsortedSegmentSum (${backendName}): segmentIds must be int32, got ${segmentIds.dtype}`);
  const idsRank = segmentIds.shape.length;
  util.assert(
    idsRank <= x.shape.length && segmentIds.shape.every((n, d) => n === x.shape[d]),
    () => `UnsortedSegmentSum: segmentIds shape ${segmentIds.shape} must be a prefix of x shape ${x.shape}`,
  );
  const innerShape = x.shape.slice(idsRank);
  return { rows: util.sizeFromShape(segmentIds.shape), inner: util.sizeFromShape(innerShape), innerShape, numSegments };
}

/**
 * dst[s, ...] = sum of src[i, ...] over every i with ids[i] == s; ids outside [0, numSegments)
 * are dropped, as TensorFlow does. `dst` must hold zeros. Int32 sums wrap like int32.
 */
function sumSegments(
  src: Float32Array | Int32Array,
  ids: Int32Array,
  dst: Float32Array | Int32Array,
  m: SegmentSumShape,
): void {
  const int = dst instanceof Int32Array;
  for (let r = 0; r < m.rows; r++) {
    const s = ids[r];
    if (s < 0 || s >= m.numSegments) continue;
    const from = r * m.inner;
    const to = s * m.inner;
    if (int) for (let j = 0; j < m.inner; j++) dst[to + j] = (dst[to + j] + src[from + j]) | 0;
    else for (let j = 0; j < m.inner; j++) dst[to + j] += src[from + j];
  }
}

/** The wasm kernel: reads and writes the wasm heap in place. */
export const unsortedSegmentSumKernel: KernelFunc = (args: KernelArgs) => {
  const x = args.inputs.x as TensorInfo;
  const m = segmentSumShape(args, 'wasm');
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput([m.numSegments, ...m.innerShape], x.dtype);
  // Views only after the output exists: its allocation may have grown (and detached) the heap.
  const buffer = heapBytes(backend).buffer;
  const ids = new Int32Array(buffer, memoryOffsetOf(backend, args.inputs.segmentIds as TensorInfo), m.rows);
  const view = (t: TensorInfo, length: number) =>
    x.dtype === 'float32'
      ? new Float32Array(buffer, memoryOffsetOf(backend, t), length)
      : new Int32Array(buffer, memoryOffsetOf(backend, t), length);
  const dst = view(out, m.numSegments * m.inner);
  dst.fill(0); // _malloc does not clear memory
  sumSegments(view(x, m.rows * m.inner), ids, dst, m);
  return out;
};

/** What the cpu kernel needs of tfjs-backend-cpu's MathBackendCPU. */
interface CpuBackendInternals {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32' | 'int32', values: Float32Array | Int32Array): TensorInfo;
}

/** The cpu kernel: the same loop over the cpu backend's typed arrays. */
export const cpuUnsortedSegmentSumKernel: KernelFunc = (args: KernelArgs) => {
  const x = args.inputs.x as TensorInfo;
  const m = segmentSumShape(args, 'cpu');
  const backend = args.backend as unknown as CpuBackendInternals;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array | Int32Array;
  const ids = values(args.inputs.segmentIds as TensorInfo) as Int32Array;
  const dst =
    x.dtype === 'float32' ? new Float32Array(m.numSegments * m.inner) : new Int32Array(m.numSegments * m.inner);
  sumSegments(values(x), ids, dst, m);
  return backend.makeTensorInfo([m.numSegments, ...m.innerShape], x.dtype as 'float32' | 'int32', dst);
};
