// Matrix multiplies for WebGPU on a CPU adapter (SwiftShader): no workgroup memory, no barriers;
// each thread computes four neighbouring outputs with a plain loop over the shared dimension.
//
// tfjs's matmul programs tile through workgroup memory with a barrier per tile, which suits a real
// GPU. SwiftShader runs WebGPU on the CPU, where every barrier parks and resumes each invocation of
// the workgroup. Measured there (kernel-check.html?matmul=1, e2e/matmul-programs.measure.ts), this
// program beats every tfjs program on every multiply the model makes: 1.2–8× on the LSTM and
// vocabulary shapes, 31× on the copy multiply. It replaces BatchMatMul and _FusedMatMul (without
// activation) only when the adapter is SwiftShader (register.ts); on a real GPU tfjs's own programs
// run. The tf.layers baseline of the bench runs on the same kernels, so its ratios stay like for like.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { flatProgram, MAX_FLAT_THREADS, wrapWebgpuKernel, type WebGpuBackendLike, type WebGpuProgram } from './webgpu-program';

/** Output columns per thread. */
const COLUMNS = 4;

/**
 * A [batchA, M, K] (or [batchA, K, M] transposed), B [batchB, K, N] (or [batchB, N, K]), optional
 * Bias [N] or [1] → [batch, M, N]; a batch of 1 broadcasts.
 */
export function directMatMulProgram(batch: number, m: number, n: number, transposeA: boolean, transposeB: boolean, withBias: boolean): WebGpuProgram {
  // f32(): a float32 tensor cast from int32 shares the int32 buffer (tfjs's Cast copies nothing
  // when no precision is lost), so a binding may hold i32 values.
  const aAt = transposeA ? 'f32(A[aBase + k * M + row])' : 'f32(A[aBase + row * K + k])';
  const bAt = (col: string) => (transposeB ? `f32(B[bBase + ${col} * K + k])` : `f32(B[bBase + k * N + ${col}])`);
  const biasAt = (col: string) => `f32(Bias[select(${col}, 0, uniforms.biasShape == 1)])`;
  return flatProgram({
    outputShape: [batch, m, n],
    shaderKey: `directMatMul_${transposeA}_${transposeB}_${withBias}`,
    variableNames: withBias ? ['A', 'B', 'Bias'] : ['A', 'B'],
    threads: batch * m * Math.ceil(n / COLUMNS),
    userCode: () => `
  fn main(index : i32) {
    let M = uniforms.outShape.y;
    let N = uniforms.outShape.z;
    let K = ${transposeA ? 'uniforms.aShape.y' : 'uniforms.aShape.z'};
    let groups = (N + ${COLUMNS - 1}) / ${COLUMNS};
    if (index >= uniforms.outShape.x * M * groups) { return; }
    let batch = index / (M * groups);
    let rest = index - batch * M * groups;
    let row = rest / groups;
    let col0 = (rest - row * groups) * ${COLUMNS};
    let aBase = select(batch, 0, uniforms.aShape.x == 1) * M * K;
    let bBase = select(batch, 0, uniforms.bShape.x == 1) * K * N;
    // Columns past N read column N − 1 (in bounds) and are not written.
    let col1 = min(col0 + 1, N - 1);
    let col2 = min(col0 + 2, N - 1);
    let col3 = min(col0 + 3, N - 1);
    var sum = vec4<f32>(0.0);
    for (var k = 0; k < K; k++) {
      sum += ${aAt} * vec4<f32>(${bAt('col0')}, ${bAt('col1')}, ${bAt('col2')}, ${bAt('col3')});
    }
    ${withBias ? `sum += vec4<f32>(${biasAt('col0')}, ${biasAt('col1')}, ${biasAt('col2')}, ${biasAt('col3')});` : ''}
    let out = (batch * M + row) * N + col0;
    result[out] = sum.x;
    if (col0 + 1 < N) { result[out + 1] = sum.y; }
    if (col0 + 2 < N) { result[out + 2] = sum.z; }
    if (col0 + 3 < N) { result[out + 3] = sum.w; }
  }`,
  });
}

const product = (dims: number[]) => dims.reduce((p, d) => p * d, 1);

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
function runDirect(backend: WebGpuBackendLike, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, bias: TensorInfo | null): TensorInfo | null {
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
  if (bias && bias.shape.length !== 1) return null;
  if (bias && bias.shape[0] !== n && bias.shape[0] !== 1) return null;
  const batch = Math.max(batchA, batchB);
  if (m * n * k === 0 || batch * m * Math.ceil(n / COLUMNS) > MAX_FLAT_THREADS) return null; // huge: tfjs's program
  const outer = broadcastShape(outerA, outerB);
  if (!outer) return null;
  // Same buffers seen as rank 3: webgpu tensors are dense and row-major, so this is only a new shape.
  const inputs: TensorInfo[] = [
    { ...a, shape: [batchA, aRows, aCols] },
    { ...b, shape: [batchB, bRows, bCols] },
  ];
  if (bias) inputs.push(bias);
  const out = backend.runWebGPUProgram(directMatMulProgram(batch, m, n, transposeA, transposeB, bias !== null), inputs, 'float32');
  return { ...out, shape: [...outer, m, n] };
}

let enabled = true;
let installed = false;

/** Turns the direct matmul on or off where it is installed (on by default; for measurements). */
export function setDirectMatMul(on: boolean): void {
  enabled = on;
}

/** Wraps tfjs's kernel: the direct program when it applies, tfjs's own otherwise. */
function wrap(kernelName: 'BatchMatMul' | '_FusedMatMul'): void {
  wrapWebgpuKernel(kernelName, (args) => {
    const attrs = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
    const inputs = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const plain = kernelName === 'BatchMatMul' || ((attrs.activation ?? 'linear') === 'linear' && !inputs.preluActivationWeights);
    if (!enabled || !plain) return null;
    return runDirect(args.backend as WebGpuBackendLike, inputs.a, inputs.b, attrs.transposeA, attrs.transposeB, inputs.bias ?? null);
  });
}

/** Installs the direct multiplies for webgpu; the caller has checked the adapter. Once. */
export function installDirectWebgpuMatMul(): void {
  if (installed) return;
  installed = true;
  wrap('BatchMatMul');
  wrap('_FusedMatMul');
}

export function directMatMulEnabled(): boolean {
  return enabled;
}

/** True when the direct multiplies are installed and on. */
export function directMatMulActive(): boolean {
  return installed && enabled;
}
