// Minimal typed access to the internals of the tfjs wasm backend (BackendWasm in
// @tensorflow/tfjs-backend-wasm 4.22) plus the one copy routine all our copy kernels share.
// Declared locally rather than imported: the package's .d.ts pulls in Emscripten types that the
// pure realm does not have, and we only touch these few members.
import {
  type DataType,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';

/** The argument every kernel function receives (KernelFunc's parameter, with `backend` opaque). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- tfjs-core's KernelFunc types backend as {}
export type KernelArgs = { inputs: NamedTensorInfoMap; backend: {}; attrs?: NamedAttrMap };

/** What the wasm backend keeps per tensor (BackendWasm.dataIdMap values). */
export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

/** The members of BackendWasm our kernels use. */
export interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): WasmTensorData };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

export function asWasmBackend(backend: unknown): WasmBackendInternals {
  return backend as WasmBackendInternals;
}

/** Dtypes whose bytes live on the wasm heap and can be copied as raw bytes. */
export function isHeapCopyable(dtype: DataType): boolean {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

export function bytesPerElement(dtype: DataType): number {
  return dtype === 'bool' ? 1 : 4;
}

export function memoryOffsetOf(backend: WasmBackendInternals, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/**
 * The current heap as bytes. Call it only after every output of a kernel has been allocated:
 * `_malloc` may grow wasm memory, which detaches the previous buffer and every view over it.
 */
export function heapBytes(backend: WasmBackendInternals): Uint8Array {
  return backend.wasm.HEAPU8;
}

/**
 * Copies the box `begin`..`begin+size` of a row-major tensor of shape `shape` at byte offset
 * `srcOffset` into a dense destination at byte offset `dstOffset`, both on the same heap.
 * The trailing axes that are taken whole merge with the last partial axis into one contiguous
 * run, so a time step of [T,B,H] is one memmove and a gate of [B,4H] is B memmoves.
 */
export function copyBox(
  heap: Uint8Array,
  srcOffset: number,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dstOffset: number,
  elementBytes: number,
): void {
  const rank = shape.length;
  if (util.sizeFromShape(size as number[]) === 0) return;
  if (rank === 0) {
    heap.copyWithin(dstOffset, srcOffset, srcOffset + elementBytes);
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  // Last axis not taken whole: everything from it inward is contiguous in the source.
  let runAxis = rank - 1;
  while (runAxis > 0 && size[runAxis] === shape[runAxis] && begin[runAxis] === 0) runAxis--;
  const runBytes = size[runAxis] * strides[runAxis] * elementBytes;
  let base = 0;
  for (let d = 0; d < rank; d++) base += begin[d] * strides[d];
  let src = srcOffset + base * elementBytes;
  let dst = dstOffset;
  if (runAxis === 0) {
    heap.copyWithin(dst, src, src + runBytes);
    return;
  }
  // Odometer over the outer axes 0..runAxis-1.
  const outer = runAxis;
  const index = new Array<number>(outer).fill(0);
  const byteStrides = strides.map((s) => s * elementBytes);
  for (;;) {
    heap.copyWithin(dst, src, src + runBytes);
    dst += runBytes;
    let d = outer - 1;
    for (; d >= 0; d--) {
      index[d]++;
      src += byteStrides[d];
      if (index[d] < size[d]) break;
      src -= byteStrides[d] * size[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}
