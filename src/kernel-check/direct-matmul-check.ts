// The project's direct WebGPU matmul (src/platform/kernels/webgpu-direct-matmul.ts, installed on
// SwiftShader) against tfjs's own programs: the same multiply with the direct one on and off, on
// the shapes it must get right (odd widths, transposes, batches that broadcast, rank 4, a bias) and
// on two of the model's, values and gradients. Used by the kernel-check page.
import * as tf from '@tensorflow/tfjs-core';
import { uniformStream } from '../model/random';
import { directMatMulActive, setDirectMatMul } from '../platform/kernels/webgpu-direct-matmul';
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
  { name: 'recurrent B32 H256', a: [32, 256], b: [256, 1024] },
  { name: 'copy B32', a: [32, 1, 60], b: [32, 60, 2000] },
];

function multiply(c: Case, a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  return bias
    ? tf.fused.matMul({ a, b, bias, transposeA: c.transposeA, transposeB: c.transposeB })
    : tf.matMul(a, b, c.transposeA, c.transposeB);
}

/**
 * "direct <case> y|da|db" → largest error of the direct program against tfjs's; empty when the direct
 * matmul is not installed (a real GPU).
 */
export async function checkDirectMatMul(seed: number): Promise<Record<string, number>> {
  const errors: Record<string, number> = {};
  if (!directMatMulActive()) return errors;
  const r = uniformStream(seed);
  try {
    for (const c of DIRECT_MATMUL_CASES) {
      const a = uniform(r, c.a, 1);
      const b = uniform(r, c.b, 1);
      const bias = c.bias ? uniform(r, c.bias, 1) : undefined;
      const run = (direct: boolean) => {
        setDirectMatMul(direct);
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
  } finally {
    setDirectMatMul(true);
  }
  return errors;
}
