// The matrix multiplies of the model, timed under each WebGPU matmul program tfjs has (the
// WEBGPU_MATMUL_PROGRAM_TYPE flag) and under tfjs's own choice, so a device's best program per shape
// is measured, not guessed. kernel-check.html?matmul=1 runs it; e2e/matmul-programs.measure.ts
// writes the table.
import * as tf from '@tensorflow/tfjs-core';
import { kernelGroupOn, setKernelGroup } from '../../src/platform/kernels/register';
import {
  type MatMulTile,
  setDirectMatMulTile,
  directMatMulTile,
} from '../../src/platform/kernels/swiftshader/direct-matmul';

/** tfjs-backend-webgpu's MatMulProgramType values; -1 lets tfjs choose by shape. */
export const MATMUL_PROGRAMS: Record<string, number> = { auto: -1, reduce: 0, splitK: 1, smallOutput: 2, packed: 3 };

export interface MatmulShape {
  name: string;
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
}

/** The seed-size model's multiplies (batch 32, source 60, target 16, hidden 256, vocabulary 2000). */
export const MODEL_MATMULS: MatmulShape[] = [
  { name: 'recurrent step B32', a: [32, 256], b: [256, 1024] },
  { name: 'recurrent step B1 (greedy)', a: [1, 256], b: [256, 1024] },
  { name: 'input projection T·B', a: [1920, 128], b: [128, 1024] },
  { name: 'vocabulary B32', a: [32, 256], b: [256, 2000] },
  { name: 'vocabulary B1 (greedy)', a: [1, 256], b: [256, 2000] },
  { name: 'weight gradient (xᵀ·dz over T·B)', a: [1920, 256], b: [1920, 1024], transposeA: true },
  { name: 'recurrent gradient (dz·Wᵀ) B32', a: [32, 1024], b: [256, 1024], transposeB: true },
  { name: 'attention scores', a: [32, 1, 256], b: [32, 60, 256], transposeB: true },
  { name: 'copy (attention × one-hot)', a: [32, 1, 60], b: [32, 60, 2000] },
  // The tiny preset (hidden 32, embedding 16) at the bench's batch of 32.
  { name: 'tiny recurrent step B32', a: [32, 32], b: [32, 128] },
  { name: 'tiny weight gradient (hᵀ·dz) B32', a: [32, 32], b: [32, 128], transposeA: true },
  { name: 'tiny vocabulary B32', a: [32, 64], b: [64, 2000] },
];

export interface MatmulTiming {
  shape: string;
  /** Median milliseconds per multiply (a read of the result waits for it), by program. */
  ms: Record<string, number | null>;
  /** The program that was fastest here. */
  best: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median ms of `repeats` multiplies after one compile run; null when the program refuses the shape. */
async function timeMultiply(a: tf.Tensor, b: tf.Tensor, shape: MatmulShape, repeats: number): Promise<number | null> {
  try {
    const times: number[] = [];
    for (let i = 0; i < repeats + 1; i++) {
      const t0 = performance.now();
      const c = tf.matMul(a, b, shape.transposeA, shape.transposeB);
      await c.data();
      c.dispose();
      if (i > 0) times.push(performance.now() - t0); // run 0 compiles the shader
    }
    return median(times);
  } catch {
    return null;
  }
}

/**
 * Each shape under each tfjs program (the project's direct matmul off), then under the project's
 * direct matmul (swiftshader/direct-matmul.ts; null where it is not registered, on a real GPU), whose
 * answer is checked against tfjs's.
 */
export async function timeMatmulPrograms(
  shapes: MatmulShape[],
  repeats: number,
  onProgress: (line: string) => void,
  programs: string[] = Object.keys(MATMUL_PROGRAMS),
  tiles: MatMulTile[] = [],
): Promise<MatmulTiming[]> {
  const before = tf.env().get('WEBGPU_MATMUL_PROGRAM_TYPE') as number;
  // Registered and on (SwiftShader); switched off below to time tfjs's programs.
  const direct = kernelGroupOn('swiftshader-matmul');
  const rows: MatmulTiming[] = [];
  try {
    for (const shape of shapes) {
      const a = tf.randomUniform(shape.a, -1, 1, 'float32', 1);
      const b = tf.randomUniform(shape.b, -1, 1, 'float32', 2);
      const ms: Record<string, number | null> = {};
      setKernelGroup('swiftshader-matmul', false);
      for (const [name, type] of Object.entries(MATMUL_PROGRAMS).filter(([name]) => programs.includes(name))) {
        onProgress(`${shape.name}: ${name}`);
        tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', type);
        ms[name] = await timeMultiply(a, b, shape, repeats);
      }
      tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', -1);
      ms.direct = null;
      for (const t of tiles) ms[`direct ${t.rows}x${t.cols}`] = null;
      if (direct) {
        const expected = tf.matMul(a, b, shape.transposeA, shape.transposeB);
        const chosen = directMatMulTile();
        // 'direct' is the project's default block per thread; the others are for comparison.
        for (const [column, block] of [
          ['direct', chosen],
          ...tiles.map((t) => [`direct ${t.rows}x${t.cols}`, t] as const),
        ] as const) {
          onProgress(`${shape.name}: ${column}`);
          setKernelGroup('swiftshader-matmul', true);
          setDirectMatMulTile(block);
          const got = tf.matMul(a, b, shape.transposeA, shape.transposeB);
          const err = (await tf.max(tf.abs(tf.sub(got, expected))).data())[0]!;
          got.dispose();
          if (!(err < 1e-3))
            throw new Error(`the direct matmul (${column}) differs from tfjs's on ${shape.name} by ${err}`);
          ms[column] = await timeMultiply(a, b, shape, repeats);
        }
        setDirectMatMulTile(chosen);
        expected.dispose();
      }
      tf.dispose([a, b]);
      const timed = Object.entries(ms).filter((e): e is [string, number] => e[1] !== null);
      rows.push({ shape: shape.name, ms, best: timed.sort((x, y) => x[1] - y[1])[0]?.[0] ?? '–' });
    }
  } finally {
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', before);
    setKernelGroup('swiftshader-matmul', direct);
  }
  return rows;
}
