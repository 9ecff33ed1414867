// Slice, StridedSlice, Unpack and SplitV for the wasm backend that read their input in place on
// the wasm heap. The stock 4.22 kernels call `backend.readSync(x)`, which copies the whole input
// out of wasm memory on every call, once per output of an unstack (measured: docs/kernels-and-bench.md, "Measurements behind the code").
// Here only the bytes of each output are moved, heap to heap (copyWithin on contiguous runs).
// Identity and a Cast to the same dtype share the input's buffer instead of copying it (end of
// file). Other dtypes (string, complex64) and a few odd StridedSlice cases go to the stock kernel.
import { backend_util, type KernelFunc, slice_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import {
  asWasmBackend,
  bytesPerElement,
  copyBox,
  heapBytes,
  isHeapCopyable,
  type KernelArgs,
  memoryOffsetOf,
  type WasmBackendInternals,
} from './wasm-heap';

/** One requested box of the input: where it starts and how big it is, and its output shape. */
interface Box {
  begin: number[];
  size: number[];
  outShape: number[];
}

/**
 * Allocates every output first, then takes the heap view once and copies each box: allocating
 * after taking the view could grow memory and leave the view detached.
 */
function copyBoxes(backend: WasmBackendInternals, x: TensorInfo, boxes: Box[]): TensorInfo[] {
  const outs = boxes.map((b) => backend.makeOutput(b.outShape, x.dtype));
  const elementBytes = bytesPerElement(x.dtype);
  const heap = heapBytes(backend);
  const srcOffset = memoryOffsetOf(backend, x);
  boxes.forEach((b, i) => {
    copyBox(heap, srcOffset, x.shape, b.begin, b.size, memoryOffsetOf(backend, outs[i]), elementBytes);
  });
  return outs;
}

export function makeSliceKernel(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    if (!isHeapCopyable(x.dtype)) return stock(args);
    const attrs = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    slice_util.assertParamsValid(x, begin, size);
    return copyBoxes(asWasmBackend(args.backend), x, [{ begin, size, outShape: size }])[0];
  };
}

export function makeUnpackKernel(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const value = args.inputs.value as TensorInfo;
    if (!isHeapCopyable(value.dtype)) return stock(args);
    const rank = value.shape.length;
    const axis = util.parseAxisParam((args.attrs as { axis: number }).axis, value.shape)[0];
    const outShape = value.shape.filter((_, d) => d !== axis);
    const size = value.shape.slice();
    size[axis] = 1;
    const boxes: Box[] = [];
    for (let i = 0; i < value.shape[axis]; i++) {
      const begin = new Array<number>(rank).fill(0);
      begin[axis] = i;
      boxes.push({ begin, size, outShape });
    }
    return copyBoxes(asWasmBackend(args.backend), value, boxes);
  };
}

export function makeSplitVKernel(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    if (!isHeapCopyable(x.dtype)) return stock(args);
    const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
    const splitSizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
    let start = 0;
    const boxes = splitSizes.map((s) => {
      const begin = new Array<number>(x.shape.length).fill(0);
      begin[axis] = start;
      start += s;
      const size = x.shape.slice();
      size[axis] = s;
      return { begin, size, outShape: size };
    });
    return copyBoxes(asWasmBackend(args.backend), x, boxes);
  };
}

/**
 * StridedSlice: the common unit-stride case is a box copy; other strides are copied element by
 * element, still in place. The stock general path also hard-codes a float32 output.
 */
export function makeStridedSliceKernel(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    if (!isHeapCopyable(x.dtype)) return stock(args);
    const a = args.attrs as {
      begin: number[];
      end: number[];
      strides: number[];
      beginMask: number;
      endMask: number;
      ellipsisMask: number;
      newAxisMask: number;
      shrinkAxisMask: number;
    };
    const info = slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    const backend = asWasmBackend(args.backend);
    if (x.shape.length === 0) return stock(args);
    if (info.isIdentity) {
      // A view: share the input's memory, like the stock Reshape kernel does.
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: info.finalShape, dtype: x.dtype };
    }
    // Per input axis (shrunk axes count 1); begin > end along an axis is empty, not negative.
    const size = slice_util.computeOutShape(info.begin, info.end, info.strides).map((n) => Math.max(0, n));
    if (size.length !== x.shape.length) return stock(args);
    if (info.sliceDim0 || info.isSimpleSlice) {
      return copyBoxes(backend, x, [{ begin: info.begin, size, outShape: info.finalShape }])[0];
    }
    // General strides with a shrunk axis: tfjs 4.22's cpu and stock kernels index such slices
    // differently from TensorFlow (x[:, 2:3, 0] comes out as x[:, 0, 2]). The stock kernel
    // already reads in place (C++), so it keeps that case and the backends stay in agreement.
    if (a.shrinkAxisMask !== 0) return stock(args);
    return stridedCopy(backend, x, info.begin, info.strides, size, info.finalShape);
  };
}

/** Element-wise strided gather from the heap; `size` has one entry per input axis. */
function stridedCopy(
  backend: WasmBackendInternals,
  x: TensorInfo,
  begin: number[],
  strides: number[],
  size: number[],
  outShape: number[],
): TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  const total = util.sizeFromShape(size);
  if (total === 0) return out;
  const heap = heapBytes(backend);
  const wide = x.dtype !== 'bool';
  const unit = wide ? 4 : 1;
  const view = wide
    ? new Int32Array(heap.buffer, heap.byteOffset, heap.byteLength >>> 2)
    : new Uint8Array(heap.buffer, heap.byteOffset, heap.byteLength);
  const srcBase = memoryOffsetOf(backend, x) / unit;
  let dst = memoryOffsetOf(backend, out) / unit;
  const rank = x.shape.length;
  const xStrides = util.computeStrides(x.shape).concat([1]);
  // Step in source elements along each axis, and the odometer over the output index.
  const step = strides.map((s, d) => s * xStrides[d]);
  const index = new Array<number>(rank).fill(0);
  let src = srcBase;
  for (let d = 0; d < rank; d++) src += begin[d] * xStrides[d];
  const inner = size[rank - 1];
  const innerStep = step[rank - 1];
  for (let done = 0; done < total; done += inner) {
    for (let i = 0, s = src; i < inner; i++, s += innerStep) view[dst++] = view[s];
    let d = rank - 2;
    for (; d >= 0; d--) {
      index[d]++;
      src += step[d];
      if (index[d] < size[d]) break;
      src -= step[d] * size[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Identity, and Cast to the same dtype, as a view of the input's buffer (as the stock Reshape
 * kernel and the cpu backend do): tensor data never changes, so nothing needs a copy. The stock
 * 4.22 kernels copy it, and tfjs runs Identity once for every tensor a taped kernel keeps for its
 * gradient (the engine's saveTensorsForBackwardMode clones each): 7,645 copies per seed-size
 * training step with the LSTM on plain ops, 1,751 with its kernels, some of them whole
 * [60, 32, 1024] projections.
 */
function shareInput(backend: WasmBackendInternals, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

export function makeIdentityKernel(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    return isHeapCopyable(x.dtype) ? shareInput(asWasmBackend(args.backend), x) : stock(args);
  };
}

export function makeCastKernel(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    const dtype = (args.attrs as { dtype: string }).dtype;
    return dtype === x.dtype && isHeapCopyable(x.dtype) ? shareInput(asWasmBackend(args.backend), x) : stock(args);
  };
}
