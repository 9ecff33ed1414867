// BatchMatMul and _FusedMatMul for the wasm backend that keep to the fast XNNPACK path.
// The stock 4.22 C++ kernel uses XNNPACK only with no transposition and batch size 1 on both
// operands; everything else runs a scalar blocked loop an order of magnitude slower. Every weight gradient of a
// matMul (aᵀ·dy, dy·bᵀ) is transposed; [B,T,H]·[H,V] and attention/copy products are batched.
// So:
//  - transposed operands are transposed explicitly first (stock C++ Transpose kernel);
//  - a batched `a` times an unbatched `b` is folded into one [B·T,H]·[H,V] product;
//  - a batched `b` is multiplied one batch entry at a time when the entries are big enough;
//  - XNNPACK packs `b` on every call with a new `b` tensor (its cache is keyed by tensor id), so
//    for dy·wᵀ we compute (w·dyᵀ)ᵀ, transposing and packing the small operands, not the weight.
import { type KernelFunc, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs-core';
import {
  batchOf,
  foldedProduct,
  perBatchProduct,
  stableWeights,
  type StockMatMulParts,
  Temporaries,
} from './matmul-products';
import { asWasmBackend, heapBytes, type KernelArgs, memoryOffsetOf, type WasmBackendInternals } from './wasm-heap';

export type { StockMatMulParts } from './matmul-products';

type MatMulAttrs = NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };

/**
 * Below this many multiply-adds per batch entry, the stock scalar loop over a batched `b` beats
 * one XNNPACK call (operator creation, weight packing) per entry (measured: docs/kernels-and-bench.md, "Measurements behind the code").
 */
const MIN_MACS_PER_BATCH_ENTRY = 1 << 16;

/**
 * How a product with a batched `b` runs: one XNNPACK call per entry packs that entry's k×n `b`
 * first, which only pays when it is reused over several rows of `a`. With one row (m = 1: beam
 * search's copy distribution, [5,1,60]·[5,60,2048]) packing costs as much as the product and the
 * stock loop wins; from two rows on, per entry wins (measured: docs/kernels-and-bench.md, "Measurements behind the code").
 */
export function batchedBRoute(m: number, k: number, n: number): 'stock' | 'per-entry' {
  return m === 1 || m * k * n < MIN_MACS_PER_BATCH_ENTRY ? 'stock' : 'per-entry';
}

/** x with its last two axes swapped; a view when one of them is 1 (no data moves). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- tfjs-core types a kernel's backend as {}
function swapLastTwo(x: TensorInfo, stock: StockMatMulParts, backend: {}, temps: Temporaries): TensorInfo {
  const rank = x.shape.length;
  const shape = x.shape.slice();
  [shape[rank - 2], shape[rank - 1]] = [shape[rank - 1], shape[rank - 2]];
  if (x.shape[rank - 1] === 1 || x.shape[rank - 2] === 1) return temps.view(x, shape);
  const perm = x.shape.map((_, d) => d);
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return temps.add(stock.transpose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo);
}

/** Takes ownership of `x` and returns it with its last two axes swapped. */
function transposeResult(x: TensorInfo, stock: StockMatMulParts, backend: WasmBackendInternals): TensorInfo {
  const rank = x.shape.length;
  if (x.shape[rank - 1] === 1 || x.shape[rank - 2] === 1) {
    const shape = x.shape.slice();
    [shape[rank - 2], shape[rank - 1]] = [shape[rank - 1], shape[rank - 2]];
    return { ...x, shape };
  }
  const perm = x.shape.map((_, d) => d);
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  try {
    return stock.transpose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  } finally {
    backend.disposeData(x.dataId);
  }
}

/**
 * Wraps a stock matmul kernel (BatchMatMul or _FusedMatMul: both take inputs `a`, `b` and attrs
 * `transposeA`, `transposeB`). Other inputs (bias, preluActivationWeights) and attrs
 * (activation, leakyreluAlpha) pass through. `allowSwap`: may compute (op(b)ᵀ·op(a)ᵀ)ᵀ, valid
 * only without bias and activation, i.e. for BatchMatMul.
 */
export function makeFastMatMulKernel(stock: StockMatMulParts, allowSwap: boolean): KernelFunc {
  return (args: KernelArgs) => {
    const attrs = (args.attrs ?? {}) as MatMulAttrs;
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const aRank = a.shape.length;
    const bRank = b.shape.length;
    const m = a.shape[aRank - (transposeA ? 1 : 2)];
    const k = a.shape[aRank - (transposeA ? 2 : 1)];
    const n = b.shape[bRank - (transposeB ? 2 : 1)];
    const batchedB = batchOf(b) > 1;
    if (!batchedB && batchOf(a) === 1 && !transposeA && !transposeB) {
      // Already fast; only `b` may need a fresh id (see stableWeights).
      const temps = new Temporaries(asWasmBackend(args.backend));
      try {
        const weights = stableWeights(b, asWasmBackend(args.backend), temps);
        return stock.matMul(weights === b ? args : { ...args, inputs: { ...args.inputs, b: weights } });
      } finally {
        temps.release();
      }
    }
    if (batchedB && (batchedBRoute(m, k, n) === 'stock' || args.inputs.preluActivationWeights != null)) {
      return stock.matMul(args); // small or one-row entries; or PReLU weights we would have to split per entry
    }
    const product = (x: TensorInfo, y: TensorInfo, temps: Temporaries) =>
      batchOf(y) > 1 ? perBatchProduct(stock, args, x, y, temps) : foldedProduct(stock, args, x, y, temps);

    const backend = asWasmBackend(args.backend);
    const temps = new Temporaries(backend);
    try {
      // Swapping makes `a` the packed operand: only worth it while `a` is unbatched or `b` is.
      if (allowSwap && (transposeA || transposeB) && (batchOf(a) === 1 || batchedB)) {
        // Elements moved (transposed, or packed by XNNPACK as the `b` operand) each way.
        const sizeA = util.sizeFromShape(a.shape);
        const sizeB = util.sizeFromShape(b.shape);
        const outSize = Math.max(batchOf(a), batchOf(b)) * m * n;
        const direct = (transposeA ? sizeA : 0) + (transposeB ? 2 * sizeB : sizeB);
        const swapped = (transposeB ? 0 : sizeB) + (transposeA ? sizeA : 2 * sizeA) + outSize;
        if (swapped < direct) {
          // Cᵀ = op(b)ᵀ·op(a)ᵀ, where op(b)ᵀ is b itself if transposeB, op(a)ᵀ is a if transposeA.
          const left = transposeB ? b : swapLastTwo(b, stock, args.backend, temps);
          const right = transposeA ? a : swapLastTwo(a, stock, args.backend, temps);
          return transposeResult(product(left, right, temps), stock, backend);
        }
      }
      const a2 = transposeA ? swapLastTwo(a, stock, args.backend, temps) : a;
      const b2 = transposeB ? swapLastTwo(b, stock, args.backend, temps) : b;
      return product(a2, b2, temps);
    } finally {
      temps.release();
    }
  };
}

/**
 * _FusedMatMul with a bias of rank 2 or more, as the LSTM step adds its input projection to h·U
 * (lstm-cell.ts and lstm-sequence.ts, where the gates run as one kernel): the stock kernel takes a
 * rank-1 bias only. Without an activation the fused product is the plain one, so `batchMatMul`
 * (ours: it multiplies dz·Uᵀ without transposing and repacking U) computes it, and the bias is
 * added in place on the heap: one float32 rounding each, as matMul then add. The bias broadcasts
 * along the product's leading axes; other cases (an activation, PReLU weights) go to `fused`.
 */
export function withFullBias(fused: KernelFunc, batchMatMul: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { a, b, bias } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
    const attrs = (args.attrs ?? {}) as MatMulAttrs & { activation?: string };
    const activation = attrs.activation ?? 'linear';
    if (
      bias == null ||
      bias.shape.length < 2 ||
      activation !== 'linear' ||
      args.inputs.preluActivationWeights != null
    ) {
      return fused(args);
    }
    const firstAxis = bias.shape.findIndex((n) => n !== 1);
    const biasShape = firstAxis < 0 ? [] : bias.shape.slice(firstAxis);
    const backend = asWasmBackend(args.backend);
    const product = batchMatMul({
      inputs: { a, b },
      backend: args.backend,
      attrs: { transposeA: attrs.transposeA === true, transposeB: attrs.transposeB === true },
    }) as TensorInfo;
    const trailing = product.shape.slice(product.shape.length - biasShape.length);
    if (bias.dtype !== 'float32' || !util.arraysEqual(trailing, biasShape)) {
      backend.disposeData(product.dataId);
      return fused(args); // what stock says about such a bias
    }
    const buffer = heapBytes(backend).buffer;
    const out = new Float32Array(buffer, memoryOffsetOf(backend, product), util.sizeFromShape(product.shape));
    const add = new Float32Array(buffer, memoryOffsetOf(backend, bias), util.sizeFromShape(biasShape));
    for (let start = 0; start < out.length; start += add.length) {
      for (let k = 0; k < add.length; k++) out[start + k] += add[k]!;
    }
    return product;
  };
}
