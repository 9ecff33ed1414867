// Measurement, not a test (MEASURE=1 npx vitest run tests/platform/cpu-kernels.measure.ts): the
// gradient of tf.gather with the project's cpu UnsortedSegmentSum against the stock kernel, as the
// median of a few runs each. The unit test (cpu-kernels.test.ts) counts what made the stock one slow.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // gradients
import '@tensorflow/tfjs-backend-cpu';
import { expect, it } from 'vitest';
import { registerCpuKernels } from '../../src/platform/kernels/cpu-kernels';
import { Rng } from '../../src/model';

/** Runs per kernel: the median of them is reported. */
const RUNS = 7;

it('cpu UnsortedSegmentSum: the gradient of tf.gather, ours against the stock kernel (median ms)', async () => {
  await tf.setBackend('cpu');
  const stock = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
  registerCpuKernels();
  const ours = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
  const table = tf.randomNormal([200, 32], 0, 1, 'float32', 3);
  const rng = new Rng(9);
  const ids = tf.tensor2d(
    Array.from({ length: 16 * 30 }, () => Math.floor(rng.next() * 200)),
    [16, 30],
    'int32',
  );
  const medianMs = (config: tf.KernelConfig) => {
    tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
    tf.registerKernel(config);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, ids))))(table);
      g.dataSync();
      g.dispose();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  };
  const stockMs = medianMs(stock);
  const oursMs = medianMs(ours);
  tf.dispose([table, ids]);
  console.log(
    `gradient of tf.gather, cpu: stock ${stockMs.toFixed(2)} ms, ours ${oursMs.toFixed(2)} ms (median of ${RUNS})`,
  );
  expect(oursMs).toBeLessThan(stockMs);
});
