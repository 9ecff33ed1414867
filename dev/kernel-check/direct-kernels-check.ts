// The project's direct WebGPU matmul and reductions (src/platform/kernels/swiftshader/, registered
// on SwiftShader) against tfjs's own programs: the same op with the direct kernels registered and
// with tfjs's back, on the shapes it must get right (odd widths, transposes, batches that broadcast, rank 4, a
// bias; reduced axes first, middle, last, all, kept) and on some of the model's, values and
// gradients. Used by the kernel-check page.
import * as tf from '@tensorflow/tfjs-core';
import { uniformStream } from '../../src/model/internals';
import { kernelGroupOn, setKernelGroup } from '../../src/platform/kernels/register';
import { maxError, uniform } from './checks';

interface Case {
  name: string;
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
  /** Shape of a bias, through tf.fused.matMul (the _FusedMatMul kernel). */
  bias?: number[];
  /** tfjs has no gradient for a batch that broadcasts: compare the values only. */
  forwardOnly?: boolean;
  /** b is a float32 cast of int32 values, which shares the int32 buffer (as the model's one-hot). */
  intB?: boolean;
}

/** float32 values held in an int32 buffer (tfjs's Cast from int32 to float32 copies nothing); takes x. */
function intBacked(x: tf.Tensor): tf.Tensor {
  const y = tf.tidy(() => tf.cast(tf.cast(tf.mul(x, 3), 'int32'), 'float32'));
  x.dispose();
  return y;
}

export const DIRECT_MATMUL_CASES: Case[] = [
  { name: '3x5 · 5x7', a: [3, 5], b: [5, 7] },
  { name: '3x5ᵀ · 3x7', a: [3, 5], b: [3, 7], transposeA: true },
  { name: '3x5 · 7x5ᵀ', a: [3, 5], b: [7, 5], transposeB: true },
  { name: '5x3ᵀ · 6x5ᵀ', a: [5, 3], b: [6, 5], transposeA: true, transposeB: true },
  { name: 'batch 4', a: [4, 3, 5], b: [4, 5, 6] },
  { name: 'batch 1 broadcast', a: [1, 3, 5], b: [4, 5, 6], forwardOnly: true },
  { name: 'rank 3 · rank 2', a: [4, 3, 5], b: [5, 9], forwardOnly: true },
  { name: 'rank 4', a: [2, 2, 3, 5], b: [2, 2, 5, 6] },
  { name: 'bias [N]', a: [3, 5], b: [5, 7], bias: [7] },
  { name: 'bias [1]', a: [3, 5], b: [5, 6], bias: [1] },
  // An 8×8 block per thread where M ≥ 8: last blocks of 2 rows and 5 columns, 1 row and 6, 3 and 6.
  { name: '10x5 · 5x13', a: [10, 5], b: [5, 13] },
  { name: '5x9ᵀ · 5x6', a: [5, 9], b: [5, 6], transposeA: true },
  { name: '11x5 · 6x5ᵀ + bias [6]', a: [11, 5], b: [6, 5], transposeB: true, bias: [6] },
  // A bias of the output's shape: an LSTM step's input projection added by the multiply.
  { name: '11x5 · 5x9 + bias [11,9]', a: [11, 5], b: [5, 9], bias: [11, 9] },
  { name: 'batch 2 + bias [2,3,6]', a: [2, 3, 5], b: [2, 5, 6], bias: [2, 3, 6] },
  { name: '1x3x5 · 5x6 + bias [3,6]', a: [1, 3, 5], b: [5, 6], bias: [3, 6] },
  { name: 'recurrent B32 H256', a: [32, 256], b: [256, 1024] },
  { name: 'copy B32', a: [32, 1, 60], b: [32, 60, 2000] },
  { name: 'int32-backed b', a: [4, 1, 6], b: [4, 6, 9], intB: true },
];

interface ReduceCase {
  name: string;
  op: 'sum' | 'mean' | 'max' | 'softmax';
  x: number[];
  axis?: number | number[];
  keepDims?: boolean;
  intX?: boolean;
}

export const DIRECT_REDUCE_CASES: ReduceCase[] = [
  { name: 'sum all 7x5', op: 'sum', x: [7, 5] },
  { name: 'sum axis 0 of 33x9', op: 'sum', x: [33, 9], axis: 0 },
  { name: 'sum axis -1 of 6x130', op: 'sum', x: [6, 130], axis: -1 },
  { name: 'sum axes 1,2 of 2x3x4x5 kept', op: 'sum', x: [2, 3, 4, 5], axis: [1, 2], keepDims: true },
  { name: 'sum axes 0,2 of 3x4x5 (not contiguous)', op: 'sum', x: [3, 4, 5], axis: [0, 2] },
  { name: 'mean axis 1 of 32x2x1x60 (heads)', op: 'mean', x: [32, 2, 1, 60], axis: 1 },
  { name: 'mean all 512', op: 'mean', x: [512] },
  { name: 'max axis -1 of 16x2000', op: 'max', x: [16, 2000], axis: -1 },
  { name: 'max axis 0 of 9x3 kept', op: 'max', x: [9, 3], axis: 0, keepDims: true },
  { name: 'sum axis 1 of int32-backed 5x7', op: 'sum', x: [5, 7], axis: 1, intX: true },
  { name: 'softmax of 32x4x1x60 (attention)', op: 'softmax', x: [32, 4, 1, 60] },
  { name: 'softmax of 3x16x2003 (vocabulary)', op: 'softmax', x: [3, 16, 2003] },
  { name: 'softmax of 7', op: 'softmax', x: [7] },
];

function reduceOp(c: ReduceCase, x: tf.Tensor): tf.Tensor {
  return c.op === 'softmax' ? tf.softmax(x) : tf[c.op](x, c.axis, c.keepDims);
}

function multiply(c: Case, a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  return bias
    ? tf.fused.matMul({ a, b, bias, transposeA: c.transposeA, transposeB: c.transposeB })
    : tf.matMul(a, b, c.transposeA, c.transposeB);
}

/**
 * "direct <case> y|da|db|dx" → largest error of the direct kernel against tfjs's; empty when the
 * direct kernels are not installed (a real GPU).
 */
export async function checkDirectKernels(seed: number): Promise<Record<string, number>> {
  const errors: Record<string, number> = {};
  if (!kernelGroupOn('swiftshader-matmul')) return errors;
  const r = uniformStream(seed);
  try {
    for (const c of DIRECT_MATMUL_CASES) {
      const a = uniform(r, c.a, 1);
      const b = c.intB ? intBacked(uniform(r, c.b, 1)) : uniform(r, c.b, 1);
      const bias = c.bias ? uniform(r, c.bias, 1) : undefined;
      const run = (direct: boolean) => {
        setKernelGroup('swiftshader-matmul', direct);
        return tf.tidy(() => {
          const y = multiply(c, a, b, bias);
          if (c.forwardOnly) return [y];
          const w = tf.randomUniform(y.shape, -1, 1, 'float32', seed);
          const [da, db] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(multiply(c, x, z, bias), w)))([a, b]);
          return [y, da, db];
        });
      };
      const got = run(true);
      const expected = run(false);
      for (const [k, part] of ['y', 'da', 'db'].slice(0, got.length).entries()) {
        const [x, e] = await Promise.all([got[k]!.data(), expected[k]!.data()]);
        errors[`direct ${c.name} ${part}`] = maxError(x as Float32Array, e as Float32Array);
      }
      tf.dispose([a, b, ...(bias ? [bias] : []), ...got, ...expected]);
    }
    for (const c of DIRECT_REDUCE_CASES) {
      const x = c.intX ? intBacked(uniform(r, c.x, 1)) : uniform(r, c.x, 3);
      const run = (direct: boolean) => {
        setKernelGroup('swiftshader-reduce', direct);
        return tf.tidy(() => {
          const y = reduceOp(c, x);
          const w = tf.randomUniform(y.shape, -1, 1, 'float32', seed);
          return [y, tf.grad((v: tf.Tensor) => tf.sum(tf.mul(reduceOp(c, v), w)))(x)];
        });
      };
      const got = run(true);
      const expected = run(false);
      for (const [k, part] of ['y', 'dx'].entries()) {
        const [v, e] = await Promise.all([got[k]!.data(), expected[k]!.data()]);
        errors[`direct ${c.name} ${part}`] =
          got[k]!.shape.join() === expected[k]!.shape.join()
            ? maxError(v as Float32Array, e as Float32Array)
            : Infinity;
      }
      tf.dispose([x, ...got, ...expected]);
    }
    // UnsortedSegmentSum: alone (with an empty segment and a repeated one), and as the gradient of an
    // embedding. Only ids in range: tfjs's webgpu kernel does not drop the others as TensorFlow does.
    const ids = tf.tensor1d([0, 5, 2, 1, 5, 0, 3], 'int32');
    const rows = uniform(r, [7, 3, 5], 1);
    const table = uniform(r, [50, 24], 1);
    const tokens = tf.tensor1d(
      Array.from({ length: 70 }, (_, i) => (i * 17) % 50),
      'int32',
    );
    const segmentCases: Array<[string, () => tf.Tensor]> = [
      ['segment sum 7x3x5 into 6', () => tf.unsortedSegmentSum(rows, ids, 6)],
      [
        'embedding gradient 70 of 50x24',
        () =>
          tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.gather(w, tokens), tf.reshape(tf.range(0, 70 * 24), [70, 24]))))(
            table,
          ),
      ],
    ];
    for (const [name, op] of segmentCases) {
      setKernelGroup('swiftshader-reduce', true);
      const got = tf.tidy(op);
      setKernelGroup('swiftshader-reduce', false);
      const expected = tf.tidy(op);
      const [v, e] = await Promise.all([got.data(), expected.data()]);
      errors[`direct ${name} y`] = maxError(v as Float32Array, e as Float32Array);
      tf.dispose([got, expected]);
    }
    tf.dispose([ids, rows, table, tokens]);
    // Stacks: 2 pieces, exactly 7 (one program), 8 (a second program of one), and 60 steps.
    for (const [count, shape] of [
      [2, [3, 5]],
      [7, [4]],
      [8, [2, 3]],
      [60, [32, 12]],
    ] as Array<[number, number[]]>) {
      const pieces = Array.from({ length: count }, () => uniform(r, shape, 1));
      setKernelGroup('swiftshader-pack', true);
      const got = tf.stack(pieces);
      setKernelGroup('swiftshader-pack', false);
      const expected = tf.stack(pieces);
      const [v, e] = await Promise.all([got.data(), expected.data()]);
      errors[`direct stack of ${count} × [${shape}] y`] =
        got.shape.join() === expected.shape.join() ? maxError(v as Float32Array, e as Float32Array) : Infinity;
      tf.dispose([...pieces, got, expected]);
    }
  } finally {
    setKernelGroup('swiftshader-matmul', true);
    setKernelGroup('swiftshader-reduce', true);
    setKernelGroup('swiftshader-pack', true);
  }
  return errors;
}
