// Matrix multiplies for WebGPU on a CPU adapter (SwiftShader): no workgroup memory, no barriers;
// each thread computes a block of outputs (8×8, held in registers) with a plain loop over the shared
// dimension.
//
// tfjs's matmul programs tile through workgroup memory with a barrier per tile, which suits a real
// GPU. SwiftShader runs WebGPU on the CPU, where every barrier parks and resumes each invocation of
// the workgroup. Measured there (kernel-check.html?matmul=1 in dev/, e2e/matmul-programs.measure.ts), this
// program beats every tfjs program on every multiply of the seed-size model (measured: docs/kernels-and-bench.md, "Measurements behind the code").
// It replaces BatchMatMul and _FusedMatMul (without
// activation) only when the adapter is SwiftShader (swiftshader/register.ts); on a real GPU tfjs's own programs
// run. The tf.layers baseline of the bench runs on the same kernels, so its ratios stay like for like
// (bench.html?stock=1 also times it on stock tfjs kernels).
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import {
  flatProgram,
  MAX_FLAT_THREADS,
  wrapWebgpuKernel,
  type WebGpuBackendLike,
  type WebGpuProgram,
} from '../webgpu-program';
import type { ProjectKernel } from '../kernel-registry';

/** The block of outputs each thread computes. */
export interface MatMulTile {
  rows: number;
  /** A multiple of 4 (one vec4 accumulator per 4 columns). */
  cols: number;
}

/**
 * Measured on SwiftShader (TILES=… e2e/matmul-programs.measure.ts): an 8×8 block per thread loads
 * 16 values per 64 multiply-adds where a 1×4 row loads 5 per 4 (and SwiftShader bounds-checks
 * every load), so it runs the model's large multiplies faster than 1×4 (measured: docs/kernels-and-bench.md, "Measurements behind the code"). Where M is
 * smaller than the block (a greedy step, B = 1) a 1×4 row per thread keeps more threads busy.
 */
let tile: MatMulTile = { rows: 8, cols: 8 };
const SMALL_M_TILE: MatMulTile = { rows: 1, cols: 4 };

/**
 * What is added to the product: nothing, a `vector` Bias [N] or [1] (a layer's bias), or a `full`
 * Bias of the output's own shape (an LSTM step's input projection: z = h·U + x·W, one program).
 */
export type MatMulBias = 'none' | 'vector' | 'full';

/**
 * A [batchA, M, K] (or [batchA, K, M] transposed), B [batchB, K, N] (or [batchB, N, K]), optional
 * Bias → [batch, M, N]; a batch of 1 broadcasts. Each thread writes a rows × cols block.
 */
function directMatMulProgram(
  batch: number,
  m: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
  bias: MatMulBias,
  { rows, cols }: MatMulTile = { rows: 1, cols: 4 },
): WebGpuProgram {
  // f32(): a float32 tensor cast from int32 shares the int32 buffer (tfjs's Cast copies nothing
  // when no precision is lost), so a binding may hold i32 values.
  const aAt = (r: number) => (transposeA ? `f32(A[aBase + k * M + row${r}])` : `f32(A[aBase + row${r} * K + k])`);
  const bAt = (c: number) => (transposeB ? `f32(B[bBase + col${c} * K + k])` : `f32(B[bBase + k * N + col${c}])`);
  const biasAt = (c: number) => `f32(Bias[select(col${c}, 0, uniforms.biasShape == 1)])`;
  const fullBiasAt = (r: number) => (c: number) => `f32(Bias[(batch * M + row${r}) * N + col${c}])`;
  const rowIds = Array.from({ length: rows }, (_, r) => r);
  const colIds = Array.from({ length: cols }, (_, c) => c);
  const vecIds = Array.from({ length: cols / 4 }, (_, v) => v);
  const vec = (v: number, at: (c: number) => string) =>
    `vec4<f32>(${[0, 1, 2, 3].map((i) => at(4 * v + i)).join(', ')})`;
  const lines = (ids: number[], line: (i: number) => string, indent = 4) =>
    ids.map(line).join(`\n${' '.repeat(indent)}`);
  return flatProgram({
    outputShape: [batch, m, n],
    shaderKey: `directMatMul_${transposeA}_${transposeB}_${bias}_${rows}x${cols}`,
    variableNames: bias === 'none' ? ['A', 'B'] : ['A', 'B', 'Bias'],
    threads: batch * Math.ceil(m / rows) * Math.ceil(n / cols),
    userCode: () => `
  fn main(index : i32) {
    let M = uniforms.outShape.y;
    let N = uniforms.outShape.z;
    let K = ${transposeA ? 'uniforms.aShape.y' : 'uniforms.aShape.z'};
    let colGroups = (N + ${cols - 1}) / ${cols};
    let rowGroups = (M + ${rows - 1}) / ${rows};
    if (index >= uniforms.outShape.x * rowGroups * colGroups) { return; }
    let batch = index / (rowGroups * colGroups);
    let rest = index - batch * rowGroups * colGroups;
    let firstRow = (rest / colGroups) * ${rows};
    let firstCol = (rest - (rest / colGroups) * colGroups) * ${cols};
    let aBase = select(batch, 0, uniforms.aShape.x == 1) * M * K;
    let bBase = select(batch, 0, uniforms.bShape.x == 1) * K * N;
    // Rows and columns past the end read the last one (in bounds) and are not written.
    ${lines(rowIds, (r) => `let row${r} = min(firstRow + ${r}, M - 1);`)}
    ${lines(colIds, (c) => `let col${c} = min(firstCol + ${c}, N - 1);`)}
    ${lines(rowIds, (r) => lines(vecIds, (v) => `var sum${r}_${v} = vec4<f32>(0.0);`))}
    for (var k = 0; k < K; k++) {
      ${lines(vecIds, (v) => `let b${v} = ${vec(v, bAt)};`, 6)}
      ${lines(rowIds, (r) => `let a${r} = ${aAt(r)};`, 6)}
      ${lines(rowIds, (r) => lines(vecIds, (v) => `sum${r}_${v} += a${r} * b${v};`, 6), 6)}
    }
    ${bias === 'vector' ? lines(vecIds, (v) => `let bias${v} = ${vec(v, biasAt)};`) : ''}
    ${lines(
      rowIds,
      (r) => `if (firstRow + ${r} < M) {
      let out = (batch * M + firstRow + ${r}) * N + firstCol;
      ${lines(vecIds, (v) => `let sum${v} = sum${r}_${v}${bias === 'vector' ? ` + bias${v}` : bias === 'full' ? ` + ${vec(v, fullBiasAt(r))}` : ''};`, 6)}
      ${lines(colIds, (c) => `if (firstCol + ${c} < N) { result[out + ${c}] = sum${Math.floor(c / 4)}[${c % 4}]; }`, 6)}
    }`,
    )}
  }`,
  });
}

const product = util.sizeFromShape;

/** Equal shapes once leading 1s are dropped: tfjs hands a fused multiply's a as [1, M, K]. */
function sameShape(x: number[], y: number[]): boolean {
  const trim = (d: number[]) =>
    d
      .slice(
        Math.max(
          0,
          d.findIndex((n) => n !== 1),
        ),
      )
      .join();
  return trim(x) === trim(y);
}

/** NumPy broadcasting of two batch shapes, or null when they do not broadcast. */
function broadcastShape(x: number[], y: number[]): number[] | null {
  const rank = Math.max(x.length, y.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dx = x[x.length - rank + i] ?? 1;
    const dy = y[y.length - rank + i] ?? 1;
    if (dx !== dy && dx !== 1 && dy !== 1) return null;
    out.push(Math.max(dx, dy));
  }
  return out;
}

/**
 * The direct multiply for the inputs of a BatchMatMul or _FusedMatMul kernel, or null when it does
 * not apply (other dtypes, batch shapes tfjs broadcasts differently, empty or huge outputs).
 */
function runDirect(
  backend: WebGpuBackendLike,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | null,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (bias && bias.dtype !== 'float32')) return null;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k) return null; // tfjs's kernel words the shape error
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = product(outerA);
  const batchB = product(outerB);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const batch = Math.max(batchA, batchB);
  const block = m >= tile.rows ? tile : SMALL_M_TILE;
  if (m * n * k === 0 || batch * Math.ceil(m / block.rows) * Math.ceil(n / block.cols) > MAX_FLAT_THREADS) return null; // huge: tfjs's program
  const outer = broadcastShape(outerA, outerB);
  if (!outer) return null;
  // A bias of the output's own shape, or a vector; other broadcasts go to tfjs.
  const vectorBias = bias?.shape.length === 1 && (bias.shape[0] === n || bias.shape[0] === 1);
  const biasKind: MatMulBias = !bias
    ? 'none'
    : vectorBias
      ? 'vector'
      : sameShape(bias.shape, [...outer, m, n])
        ? 'full'
        : 'none';
  if (bias && biasKind === 'none') return null;
  // Same buffers seen as rank 3: webgpu tensors are dense and row-major, so this is only a new shape.
  const inputs: TensorInfo[] = [
    { ...a, shape: [batchA, aRows, aCols] },
    { ...b, shape: [batchB, bRows, bCols] },
  ];
  if (bias) inputs.push(bias);
  const out = backend.runWebGPUProgram(
    directMatMulProgram(batch, m, n, transposeA, transposeB, biasKind, block),
    inputs,
    'float32',
  );
  return { ...out, shape: [...outer, m, n] };
}

/** The block of outputs per thread of the direct matmul (for comparisons; the default is measured). */
export function setDirectMatMulTile(block: MatMulTile): void {
  if (block.rows < 1 || block.cols < 4 || block.cols % 4 !== 0)
    throw new Error(`setDirectMatMulTile: want rows ≥ 1 and cols a multiple of 4, got ${block.rows}×${block.cols}`);
  tile = { ...block };
}

export function directMatMulTile(): MatMulTile {
  return { ...tile };
}

/** Wraps tfjs's kernel: the direct program when it applies, tfjs's own otherwise. */
function wrap(kernelName: 'BatchMatMul' | '_FusedMatMul'): ProjectKernel | null {
  return wrapWebgpuKernel(kernelName, (args) => {
    const attrs = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
    const inputs = args.inputs as {
      a: TensorInfo;
      b: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const plain =
      kernelName === 'BatchMatMul' || ((attrs.activation ?? 'linear') === 'linear' && !inputs.preluActivationWeights);
    if (!plain) return null;
    return runDirect(
      args.backend as WebGpuBackendLike,
      inputs.a,
      inputs.b,
      attrs.transposeA,
      attrs.transposeB,
      inputs.bias ?? null,
    );
  });
}

/** The direct multiplies for webgpu, around tfjs's; the caller registers them (swiftshader/register.ts). */
export function directMatMulKernels(): ProjectKernel[] {
  return [wrap('BatchMatMul'), wrap('_FusedMatMul')].filter((k): k is ProjectKernel => k !== null);
}
