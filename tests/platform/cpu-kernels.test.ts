// The project's cpu UnsortedSegmentSum against the stock cpu kernel it replaces: same values on
// random inputs (float32 and int32, ids repeated, missing and out of range), the gradient of
// tf.gather, and what made the stock one slow: it allocates tensors for each segment, ours one.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // gradients
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernels } from '../../src/platform/kernels/cpu-kernels';
import { Rng } from '../../src/model';

let stock: tf.KernelConfig;
let ours: tf.KernelConfig;

/** Runs `build` with the given UnsortedSegmentSum kernel registered for cpu. */
function withKernel<T>(config: tf.KernelConfig, build: () => T): T {
  tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
  tf.registerKernel(config);
  return build();
}

/** `config` with a count of the tensors its kernel writes to the backend while it runs. */
function countingWrites(config: tf.KernelConfig): { config: tf.KernelConfig; writes: () => number } {
  let writes = 0;
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = args.backend as unknown as { write: (...rest: unknown[]) => unknown };
    const write = backend.write;
    backend.write = (...rest) => {
      writes++;
      return write.apply(backend, rest);
    };
    try {
      return config.kernelFunc(args);
    } finally {
      backend.write = write;
    }
  };
  return { config: { ...config, kernelFunc }, writes: () => writes };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  stock = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
  registerCpuKernels();
  ours = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
  expect(ours.kernelFunc).not.toBe(stock.kernelFunc);
  registerCpuKernels(); // idempotent
  expect(tf.getKernel('UnsortedSegmentSum', 'cpu')).toBe(ours);
});

describe('cpu UnsortedSegmentSum', () => {
  it.each(['float32', 'int32'] as const)('matches the stock kernel on random inputs (%s)', (dtype) => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const rows = 1 + Math.floor(rng.next() * 12);
      const inner = [1 + Math.floor(rng.next() * 4), 1 + Math.floor(rng.next() * 3)].slice(0, 1 + (trial % 2));
      const numSegments = 1 + Math.floor(rng.next() * 6);
      const ids = Array.from({ length: rows }, () => Math.floor(rng.next() * (numSegments + 2)) - 1); // -1 and numSegments: dropped
      const size = rows * inner.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, () =>
        dtype === 'int32' ? Math.floor(rng.next() * 200) - 100 : rng.next() * 8 - 4,
      );
      const run = (config: tf.KernelConfig) =>
        withKernel(config, () =>
          tf.tidy(() =>
            Array.from(
              tf
                .unsortedSegmentSum(tf.tensor(values, [rows, ...inner], dtype), tf.tensor1d(ids, 'int32'), numSegments)
                .dataSync(),
            ),
          ),
        );
      const expected = run(stock);
      const actual = run(ours);
      expect(actual.length).toBe(expected.length);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    }
  });

  it('gives the gradient of tf.gather with one allocation, where the stock kernel allocates per segment', () => {
    const table = tf.randomNormal([200, 32], 0, 1, 'float32', 3);
    const rng = new Rng(9);
    const ids = tf.tensor2d(
      Array.from({ length: 16 * 30 }, () => Math.floor(rng.next() * 200)),
      [16, 30],
      'int32',
    );
    const gradOf = (config: tf.KernelConfig) => {
      const counted = countingWrites(config);
      return withKernel(counted.config, () => {
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, ids))))(table);
        const values = g.dataSync();
        g.dispose();
        return { values, writes: counted.writes() };
      });
    };
    const before = tf.memory().numTensors;
    const reference = gradOf(stock);
    const fast = gradOf(ours);
    expect(tf.memory().numTensors).toBe(before);
    fast.values.forEach((v, i) => expect(v).toBeCloseTo(reference.values[i]!, 4));
    // The stock kernel runs tensor ops per segment (a segment per row of the table); ours writes its output once.
    expect(fast.writes).toBe(1);
    expect(reference.writes).toBeGreaterThan(table.shape[0]!);
    tf.dispose([table, ids]);
  });
});
