// Times the project's wasm kernels against the stock tfjs-backend-wasm 4.22 ones, in one run:
// each kernel on seed-model shapes, beam-5 decoding with the project's seq2seq at seed size, then
// one seed-size LSTM training step.
//   npx tsx dev/kernels/bench-wasm-kernels.ts [--step-reps N] [--beam-reps N] [--no-step]
// Stock and project kernels alternate run by run (the CPU is shared); medians after warm-up.
// The stock baseline keeps UnsortedSegmentSum (stock has none; the embedding gradient needs it).
import * as tf from '@tensorflow/tfjs-core';
// Only for the gradients: tfjs-core registers none, and its ESM build does not load in plain
// Node; the union package's Node bundle registers them all (the app gets them the same way).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { presetConfig, networkFromConfig, disposeParams, initParams } from '../../src/model';
import { beamSearch, disposeEncoded, encode } from '../../src/model/internals';
import { makeLstmBenchModel, SEED_SIZES, seededIds } from './lstm-bench-model';
import { registerWasmKernels, setProjectWasmKernels } from '../../src/platform/kernels/wasm-kernels';

const argv: string[] = (globalThis as { process?: { argv: string[] } }).process?.argv ?? [];
const flagValue = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `measure` alternately on stock and project kernels (fair under a shared, noisy CPU). */
function interleaved(measure: () => number, warmup: number, reps: number): { stock: number; ours: number } {
  const times = { stock: [] as number[], ours: [] as number[] };
  for (let i = 0; i < warmup + reps; i++) {
    for (const variant of ['stock', 'ours'] as const) {
      setProjectWasmKernels(variant === 'ours');
      const ms = measure();
      if (i >= warmup) times[variant].push(ms);
    }
  }
  setProjectWasmKernels(true);
  return { stock: median(times.stock), ours: median(times.ours) };
}

/**
 * ms of one `run(inputs)`, with fresh inputs from `prepare` (untimed): operands of gradient
 * matmuls are new tensors every step, and XNNPACK caches packed weights per tensor.
 * wasm kernels are synchronous, so the op has finished when it returns.
 */
function timeOnce(prepare: () => tf.Tensor[], run: (inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): number {
  const inputs = prepare();
  const t0 = performance.now();
  const out = run(inputs);
  const ms = performance.now() - t0;
  tf.dispose(out);
  tf.dispose(inputs);
  return ms;
}

interface KernelCase {
  name: string;
  prepare: () => tf.Tensor[];
  run: (inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  reps?: number;
}

const [B, T, H, V] = [SEED_SIZES.batch, SEED_SIZES.sourceLength, SEED_SIZES.hidden, SEED_SIZES.vocabulary];
const rnd = (shape: number[]) => () => [tf.randomNormal(shape)];
const kernelCases: KernelCase[] = [
  {
    name: `Slice [${T},${B},${4 * H}] one time step`,
    prepare: rnd([T, B, 4 * H]),
    run: ([x]) => tf.slice(x, [7, 0, 0], [1, B, 4 * H]),
  },
  { name: `Slice [${B},${4 * H}] one gate`, prepare: rnd([B, 4 * H]), run: ([x]) => tf.slice(x, [0, H], [B, H]) },
  {
    name: `StridedSlice [${T},${B},${4 * H}] one time step`,
    prepare: rnd([T, B, 4 * H]),
    run: ([x]) => tf.stridedSlice(x, [7, 0, 0], [8, B, 4 * H], [1, 1, 1]),
  },
  {
    name: `Unpack [${B},${T},${H}] axis 1 (encoder inputs)`,
    prepare: rnd([B, T, H]),
    run: ([x]) => tf.unstack(x, 1),
    reps: 5,
  },
  { name: `Unpack [${T},${B},${4 * H}] axis 0`, prepare: rnd([T, B, 4 * H]), run: ([x]) => tf.unstack(x, 0), reps: 5 },
  { name: `SplitV [${B},${4 * H}] into 4 gates`, prepare: rnd([B, 4 * H]), run: ([x]) => tf.split(x, 4, 1) },
  {
    name: `Concat 4×[${B},${H}] axis 1 (not replaced)`,
    prepare: () => [0, 1, 2, 3].map(() => tf.randomNormal([B, H])),
    run: (xs) => tf.concat(xs, 1),
  },
  {
    name: `BatchMatMul [${B},${H}]·[${H},${4 * H}] plain`,
    prepare: () => [tf.randomNormal([B, H]), tf.randomNormal([H, 4 * H])],
    run: ([a, b]) => tf.matMul(a, b),
  },
  {
    name: `BatchMatMul xᵀ·dz [${B},${H}]ᵀ·[${B},${4 * H}] (weight grad)`,
    prepare: () => [tf.randomNormal([B, H]), tf.randomNormal([B, 4 * H])],
    run: ([a, b]) => tf.matMul(a, b, true, false),
  },
  {
    name: `BatchMatMul dz·Wᵀ [${B},${4 * H}]·[${H},${4 * H}]ᵀ (input grad)`,
    prepare: () => [tf.randomNormal([B, 4 * H]), tf.randomNormal([H, 4 * H])],
    run: ([a, b]) => tf.matMul(a, b, false, true),
  },
  {
    name: `BatchMatMul [${B},16,${H}]·[${H},${V}] (batched a)`,
    prepare: () => [tf.randomNormal([B, 16, H]), tf.randomNormal([H, V])],
    run: ([a, b]) => tf.matMul(a, b),
    reps: 3,
  },
  {
    name: `BatchMatMul [${B},16,${T}]·[${B},${T},${V}] (copy attention)`,
    prepare: () => [tf.randomNormal([B, 16, T]), tf.randomNormal([B, T, V])],
    run: ([a, b]) => tf.matMul(a, b),
    reps: 5,
  },
  {
    name: `BatchMatMul [${B},16,${V}]·[${B},${T},${V}]ᵀ (its gradient)`,
    prepare: () => [tf.randomNormal([B, 16, V]), tf.randomNormal([B, T, V])],
    run: ([a, b]) => tf.matMul(a, b, false, true),
    reps: 5,
  },
  {
    name: `BatchMatMul [5,1,${T}]·[5,${T},${V}] (beam copy, tiled)`,
    prepare: () => [tf.randomNormal([5, 1, T]), tf.randomNormal([5, T, V])],
    run: ([a, b]) => tf.matMul(a, b),
  },
  {
    name: `_FusedMatMul xᵀ·dz + bias`,
    prepare: () => [tf.randomNormal([B, H]), tf.randomNormal([B, 4 * H]), tf.randomNormal([4 * H])],
    run: ([a, b, bias]) => tf.fused.matMul({ a, b, transposeA: true, bias }),
  },
];

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  registerWasmKernels();
  const stepReps = flagValue('--step-reps', 3);
  console.log(
    `tfjs ${tf.version_core}, backend ${tf.getBackend()}, SIMD ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))}`,
  );
  console.log('kernel'.padEnd(56) + 'stock ms'.padStart(10) + 'ours ms'.padStart(10) + 'speed-up'.padStart(10));
  for (const c of kernelCases) {
    const { stock, ours } = interleaved(() => timeOnce(c.prepare, c.run), 2, c.reps ?? 15);
    console.log(
      c.name.padEnd(56) +
        stock.toFixed(3).padStart(10) +
        ours.toFixed(3).padStart(10) +
        `${(stock / ours).toFixed(1)}×`.padStart(10),
    );
  }
  const segmentTimes = Array.from({ length: 17 }, () =>
    timeOnce(
      () => [
        tf.randomNormal([B * T, H]),
        tf.tensor1d(
          Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % V),
          'int32',
        ),
      ],
      ([x, ids]) => tf.unsortedSegmentSum(x, ids as tf.Tensor1D, V),
    ),
  ).slice(2);
  console.log(
    `UnsortedSegmentSum [${B * T},${H}] → ${V} segments`.padEnd(56) +
      'missing'.padStart(10) +
      median(segmentTimes).toFixed(3).padStart(10),
  );

  // Beam-5 as the bench's row measures it (src/bench/bench-core.ts: a 60-token source, 16 tokens),
  // here with stock and project kernels alternating, so that both see the same machine load.
  const network = networkFromConfig(presetConfig('seed'));
  const params = initParams(network, 2);
  const ids = tf.tensor2d(
    Array.from({ length: T }, (_, i) => 4 + ((i * 7919) % (network.vocabSize - 4))),
    [1, T],
    'int32',
  );
  const mask = tf.ones([1, T]) as tf.Tensor2D;
  const encoded = encode(network, params, { srcIds: ids, srcExtIds: ids, srcMask: mask, numOovs: 0 });
  const beamOnce = async (): Promise<number> => {
    const t0 = performance.now();
    await beamSearch(params, encoded, { beamWidth: 5, maxLen: 16, minLength: 16 });
    return performance.now() - t0;
  };
  const beamReps = flagValue('--beam-reps', 9);
  const beam = { stock: [] as number[], ours: [] as number[] };
  for (let i = 0; i < beamReps + 1; i++) {
    for (const variant of ['stock', 'ours'] as const) {
      setProjectWasmKernels(variant === 'ours');
      const ms = await beamOnce();
      if (i > 0) beam[variant].push(ms);
    }
  }
  setProjectWasmKernels(true);
  const [beamStock, beamOurs] = [median(beam.stock), median(beam.ours)];
  console.log(`\nbeam-5 answer, seed model, 16 tokens (alternating, median of ${beamReps} each after 1 warm-up each)`);
  console.log(
    `  stock kernels:   ${beamStock.toFixed(1)} ms\n  project kernels: ${beamOurs.toFixed(1)} ms\n  speed-up: ${(beamStock / beamOurs).toFixed(2)}×`,
  );
  disposeEncoded(encoded);
  disposeParams(params);
  tf.dispose([ids, mask]);

  if (argv.includes('--no-step')) return;
  const model = makeLstmBenchModel(SEED_SIZES);
  const source = seededIds([B, T], V, 11);
  const target = seededIds([B, SEED_SIZES.targetLength], V, 12);
  const optimizer = tf.train.adam(1e-3);
  const trainStep = (): number => {
    const t0 = performance.now();
    const loss = optimizer.minimize(() => model.loss(source, target), true, model.variables);
    loss?.dataSync();
    loss?.dispose();
    return performance.now() - t0;
  };
  console.log(
    `\ntraining step, batch ${B}, source ${T}, target ${SEED_SIZES.targetLength}, vocab ${V}, hidden ${H}, Adam`,
  );
  console.log(`(stock and project kernels alternate; median of ${stepReps} each after 1 warm-up each)`);
  trainStep(); // creates Adam's slots, so that any later growth in tensor count is a leak
  const tensorsBefore = tf.memory().numTensors;
  const step = interleaved(trainStep, 1, stepReps);
  const tensorGrowth = tf.memory().numTensors - tensorsBefore;
  console.log(`  stock kernels:   ${step.stock.toFixed(0)} ms/step`);
  console.log(`  project kernels: ${step.ours.toFixed(0)} ms/step`);
  console.log(
    `  speed-up: ${(step.stock / step.ours).toFixed(1)}×   (tensor count change over all steps: ${tensorGrowth})`,
  );
  tf.dispose([source, target]);
  model.dispose();
  optimizer.dispose();
}

await main();
