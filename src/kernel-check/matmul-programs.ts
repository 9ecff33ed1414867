// The matrix multiplies of the model, timed under each WebGPU matmul program tfjs has (the
// WEBGPU_MATMUL_PROGRAM_TYPE flag) and under tfjs's own choice, so a device's best program per shape
// is measured, not guessed. kernel-check.html?matmul=1 runs it; e2e/matmul-programs.measure.ts
// writes the table.
import * as tf from '@tensorflow/tfjs-core';

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
];

export interface MatmulTiming {
  shape: string;
  /** Median milliseconds per multiply (a read of the result waits for it), by program. */
  ms: Record<string, number | null>;
  /** The program that was fastest here. */
  best: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function timeMatmulPrograms(shapes: MatmulShape[], repeats: number, onProgress: (line: string) => void): Promise<MatmulTiming[]> {
  const before = tf.env().get('WEBGPU_MATMUL_PROGRAM_TYPE') as number;
  const rows: MatmulTiming[] = [];
  try {
    for (const shape of shapes) {
      const a = tf.randomUniform(shape.a, -1, 1, 'float32', 1);
      const b = tf.randomUniform(shape.b, -1, 1, 'float32', 2);
      const ms: Record<string, number | null> = {};
      for (const [name, type] of Object.entries(MATMUL_PROGRAMS)) {
        onProgress(`${shape.name}: ${name}`);
        tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', type);
        try {
          const times: number[] = [];
          for (let i = 0; i < repeats + 1; i++) {
            const t0 = performance.now();
            const c = tf.matMul(a, b, shape.transposeA, shape.transposeB);
            await c.data();
            c.dispose();
            if (i > 0) times.push(performance.now() - t0); // run 0 compiles the shader
          }
          ms[name] = median(times);
        } catch {
          ms[name] = null; // a program that does not take this shape
        }
      }
      tf.dispose([a, b]);
      const timed = Object.entries(ms).filter((e): e is [string, number] => e[1] !== null);
      rows.push({ shape: shape.name, ms, best: timed.sort((x, y) => x[1] - y[1])[0]?.[0] ?? '–' });
    }
  } finally {
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', before);
  }
  return rows;
}
