// Untransposed products a·b routed so that the stock wasm kernel always takes its XNNPACK path,
// which it does only when both operands have batch size 1 (see matmul-kernels.ts).
import { broadcast_util, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { asWasmBackend, heapBytes, type KernelArgs, memoryOffsetOf, type WasmBackendInternals } from './wasm-heap';

/** The stock kernels a matmul wrapper delegates to. */
export interface StockMatMulParts {
  matMul: KernelFunc;
  transpose: KernelFunc;
}

export function batchOf(x: TensorInfo): number {
  return util.sizeFromShape(x.shape.slice(0, -2));
}

/**
 * Tensors a kernel call creates and must release. Views (same dataId) hold a reference too, so
 * everything is released the same way.
 */
export class Temporaries {
  private readonly list: TensorInfo[] = [];
  constructor(readonly backend: WasmBackendInternals) {}
  add(t: TensorInfo): TensorInfo {
    this.list.push(t);
    return t;
  }
  /** A view of `x` with another shape of the same size, sharing its memory. */
  view(x: TensorInfo, shape: number[]): TensorInfo {
    this.backend.incRef(x.dataId);
    return this.add({ dataId: x.dataId, shape, dtype: x.dtype });
  }
  get size(): number {
    return this.list.length;
  }
  release(): void {
    this.releaseFrom(0);
  }
  /** Releases the temporaries added after the first `keep`. */
  releaseFrom(keep: number): void {
    for (const t of this.list.splice(keep)) this.backend.disposeData(t.dataId);
  }
}

/**
 * The [rows, cols] each `b` buffer was first handed to the stock kernel with. Its XNNPACK path
 * packs `b` once and caches the operator by tensor id alone, not shape; a view shares the id, so a
 * [1,n] vector seen later as its [n,1] view (a free transpose) would run on the stale operator and
 * read garbage (NaN gradients for a batch of one example).
 */
const packedLayouts = new WeakMap<object, string>();

/** `b`, or a copy under a fresh id when its buffer was already packed with another layout. */
export function stableWeights(b: TensorInfo, backend: WasmBackendInternals, temps: Temporaries): TensorInfo {
  const layout = b.shape.slice(-2).join('x');
  const first = packedLayouts.get(b.dataId);
  if (first === undefined) packedLayouts.set(b.dataId, layout);
  if (first === undefined || first === layout) return b;
  const copy = temps.add(backend.makeOutput(b.shape.slice(), b.dtype));
  const bytes = util.sizeFromShape(b.shape) * 4;
  const from = memoryOffsetOf(backend, b);
  heapBytes(backend).copyWithin(memoryOffsetOf(backend, copy), from, from + bytes);
  packedLayouts.set(copy.dataId, layout);
  return copy;
}

function callStock(
  stock: StockMatMulParts,
  args: KernelArgs,
  a: TensorInfo,
  b: TensorInfo,
  temps: Temporaries,
): TensorInfo {
  const attrs = { ...args.attrs, transposeA: false, transposeB: false };
  const weights = stableWeights(b, asWasmBackend(args.backend), temps);
  return stock.matMul({ inputs: { ...args.inputs, a, b: weights }, backend: args.backend, attrs }) as TensorInfo;
}

/**
 * a·b for an unbatched `b`. A batched `a` is folded into rows, [B,m,k] → [1,B·m,k] (a free
 * reshape), so the stock kernel sees batch 1 on both sides; the result keeps the true shape.
 */
export function foldedProduct(
  stock: StockMatMulParts,
  args: KernelArgs,
  a: TensorInfo,
  b: TensorInfo,
  temps: Temporaries,
): TensorInfo {
  const batchA = batchOf(a);
  if (batchA === 1) return callStock(stock, args, a, b, temps);
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const batchShape = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  // Rank 3 because the stock _FusedMatMul reads a.shape[1] and a.shape[2].
  const out = callStock(stock, args, temps.view(a, [1, batchA * m, k]), b, temps);
  return { ...out, shape: [...batchShape, m, n] };
}

/** Flat batch index into an operand whose batch shape broadcasts (right-aligned) to `outShape`. */
function operandBatchIndex(flat: number, outShape: number[], operandShape: number[]): number {
  let index = 0;
  let stride = 1;
  for (let d = outShape.length - 1, e = operandShape.length - 1; d >= 0; d--, e--) {
    const coordinate = flat % outShape[d];
    flat = Math.floor(flat / outShape[d]);
    if (e >= 0) {
      if (operandShape[e] !== 1) index += coordinate * stride;
      stride *= operandShape[e];
    }
  }
  return index;
}

/**
 * a·b for a batched `b`: one stock (XNNPACK) product per batch entry, each operand's matrix copied
 * out to its own tensor (the stock kernel takes whole tensors) and each result copied into place.
 * The copies cost far less than the stock kernel's scalar loop for batched operands.
 */
export function perBatchProduct(
  stock: StockMatMulParts,
  args: KernelArgs,
  a: TensorInfo,
  b: TensorInfo,
  temps: Temporaries,
): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const outBatchShape = broadcast_util.assertAndGetBroadcastShape(aBatchShape, bBatchShape);
  const batches = util.sizeFromShape(outBatchShape);
  const out = backend.makeOutput([...outBatchShape, m, n], 'float32');
  // A whole operand stands for every batch entry when it has only one.
  const wholeA = batchOf(a) === 1 ? temps.view(a, [1, m, k]) : null;
  const wholeB = batchOf(b) === 1 ? temps.view(b, [1, k, n]) : null;
  const matrixOf = (x: TensorInfo, entry: number, rows: number, cols: number): TensorInfo => {
    const part = backend.makeOutput([1, rows, cols], 'float32');
    const bytes = rows * cols * 4;
    const from = memoryOffsetOf(backend, x) + entry * bytes;
    heapBytes(backend).copyWithin(memoryOffsetOf(backend, part), from, from + bytes);
    return part;
  };
  const resultBytes = m * n * 4;
  const kept = temps.size;
  try {
    for (let i = 0; i < batches; i++) {
      const aPart = wholeA ?? temps.add(matrixOf(a, operandBatchIndex(i, outBatchShape, aBatchShape), m, k));
      const bPart = wholeB ?? temps.add(matrixOf(b, operandBatchIndex(i, outBatchShape, bBatchShape), k, n));
      const result = temps.add(callStock(stock, args, aPart, bPart, temps));
      const from = memoryOffsetOf(backend, result);
      // A fresh heap view: the allocations above may have grown wasm memory.
      heapBytes(backend).copyWithin(memoryOffsetOf(backend, out) + i * resultBytes, from, from + resultBytes);
      temps.releaseFrom(kept); // this entry's parts and result
    }
  } catch (error) {
    backend.disposeData(out.dataId);
    throw error;
  }
  return out;
}
