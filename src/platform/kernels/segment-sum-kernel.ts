// UnsortedSegmentSum for the wasm backend. Stock tfjs-backend-wasm 4.22 has no such kernel, and
// it is the gradient of tf.gather: without it an embedding cannot be trained on wasm.
// Plain JS over views of the wasm heap; the embedding gradient of a seed-size batch is about
// 2,000 rows of 256 adds, well under a millisecond.
import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { asWasmBackend, heapBytes, type KernelArgs, memoryOffsetOf } from './wasm-heap';

/**
 * out[s, ...] = sum of x[i, ...] over every i with segmentIds[i] == s. `segmentIds` may have
 * any rank that is a prefix of x's shape (as in TensorFlow); ids outside [0, numSegments) are
 * dropped, again as TensorFlow does. The output keeps x's dtype (float32 or int32).
 */
export const unsortedSegmentSumKernel: KernelFunc = (args: KernelArgs) => {
  const x = args.inputs.x as TensorInfo;
  const segmentIds = args.inputs.segmentIds as TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm): unsupported dtype ${x.dtype}`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm): segmentIds must be int32, got ${segmentIds.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  util.assert(
    idsRank <= x.shape.length && segmentIds.shape.every((n, d) => n === x.shape[d]),
    () => `UnsortedSegmentSum: segmentIds shape ${segmentIds.shape} must be a prefix of x shape ${x.shape}`,
  );
  const rows = util.sizeFromShape(segmentIds.shape);
  const innerShape = x.shape.slice(idsRank);
  const inner = util.sizeFromShape(innerShape);

  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  // Views only after the output exists: its allocation may have grown (and detached) the heap.
  const buffer = heapBytes(backend).buffer;
  const ids = new Int32Array(buffer, memoryOffsetOf(backend, segmentIds), rows);
  const n = numSegments * inner;
  if (x.dtype === 'float32') {
    const src = new Float32Array(buffer, memoryOffsetOf(backend, x), rows * inner);
    const dst = new Float32Array(buffer, memoryOffsetOf(backend, out), n);
    dst.fill(0); // _malloc does not clear memory
    for (let r = 0; r < rows; r++) {
      const s = ids[r];
      if (s < 0 || s >= numSegments) continue;
      const from = r * inner;
      const to = s * inner;
      for (let j = 0; j < inner; j++) dst[to + j] += src[from + j];
    }
  } else {
    const src = new Int32Array(buffer, memoryOffsetOf(backend, x), rows * inner);
    const dst = new Int32Array(buffer, memoryOffsetOf(backend, out), n);
    dst.fill(0);
    for (let r = 0; r < rows; r++) {
      const s = ids[r];
      if (s < 0 || s >= numSegments) continue;
      const from = r * inner;
      const to = s * inner;
      for (let j = 0; j < inner; j++) dst[to + j] = (dst[to + j] + src[from + j]) | 0;
    }
  }
  return out;
};
