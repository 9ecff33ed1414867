// The floor of a training step (docs/kernels-and-bench.md#the-floor): the time its matrix
// multiplies would take at the rate this backend reaches on the same shapes, on the same threads,
// each multiply timed alone. A step at its floor would spend nothing outside matmul; the ratio of
// the step to its floor says how much is left to win elsewhere. Realm-neutral like bench-core.ts.
import * as tf from '@tensorflow/tfjs-core';
import { MIN_MEASURED_MS, timePerCall } from './bench-stats';
import type { Floor, MatmulShape } from './bench-table';

const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/**
 * Which operands a matmul transposed, read off the shapes: the product is [..., m, n], so `a` holds
 * m in its rows (or, transposed, its columns) and `b` n in its columns (or rows). Square operands
 * are ambiguous and cost the same either way. Null when the shapes cannot be a matmul.
 */
export function transposesOf(
  a: readonly number[],
  b: readonly number[],
  out: readonly number[],
): { transposeA: boolean; transposeB: boolean } | null {
  if (a.length < 2 || b.length < 2 || out.length < 2) return null;
  const [m, n] = [out[out.length - 2]!, out[out.length - 1]!];
  const [a0, a1] = [a[a.length - 2]!, a[a.length - 1]!];
  const [b0, b1] = [b[b.length - 2]!, b[b.length - 1]!];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const [rows, innerA] = transposeA ? [a1, a0] : [a0, a1];
      const [innerB, cols] = transposeB ? [b1, b0] : [b0, b1];
      if (rows === m && cols === n && innerA === innerB) return { transposeA, transposeB };
    }
  }
  return null;
}

/** 2·m·n·k per product in the batch: one multiply and one add per term. */
export function matmulFlops(a: readonly number[], b: readonly number[], out: readonly number[]): number {
  const t = transposesOf(a, b, out);
  if (!t) return 0;
  const inner = t.transposeA ? a[a.length - 2]! : a[a.length - 1]!;
  return 2 * product(out) * inner;
}

/** Times one shape alone: the same operands each call (a step's forward reuses its weights too), ms per call. */
async function timeShape(shape: MatmulShape, minMs: number): Promise<number> {
  const t = transposesOf(shape.a, shape.b, shape.out)!;
  const a = tf.randomNormal(shape.a);
  const b = tf.randomNormal(shape.b);
  let last: tf.Tensor | null = null;
  try {
    const { msPerCall } = await timePerCall(
      () => {
        last?.dispose();
        last = tf.matMul(a, b, t.transposeA, t.transposeB);
      },
      async () => {
        await last!.data(); // on a GPU backend the loop only queued the work
      },
      minMs,
    );
    return msPerCall;
  } finally {
    tf.dispose([a, b]);
    (last as tf.Tensor | null)?.dispose();
  }
}

/**
 * The floor of a unit whose matmuls are `shapes`: each shape timed alone, repeated until the loop
 * lasts `minMs`, times its count. Shapes that are not a matmul's (none are expected) are left out.
 */
export async function measureFloor(shapes: readonly MatmulShape[], minMs = MIN_MEASURED_MS): Promise<Floor> {
  let floorMs = 0;
  let flops = 0;
  for (const shape of shapes) {
    if (!transposesOf(shape.a, shape.b, shape.out)) continue;
    floorMs += shape.count * (await timeShape(shape, minMs));
    flops += shape.count * matmulFlops(shape.a, shape.b, shape.out);
  }
  return { floorMs, gflop: flops / 1e9, gflopsPerSecond: floorMs > 0 ? flops / 1e6 / floorMs : NaN };
}
