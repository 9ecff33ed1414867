// The LSTM ops' wasm kernels (src/platform/kernels/wasm-lstm.ts) and the Identity/Cast views
// (copy-kernels.ts) against what ran before them, in one Node process: seed-size training steps of
// the real loop (src/bench/bench-stepper.ts), each state its own model and Adam, the states taking
// turns step by step in an order that flips every round, so all see the same machine. Prints, per
// state, the median wall time and the median CPU time of the process per step (on a loaded machine
// CPU time is far steadier than wall time), and each state against the first, as the ratio of the
// medians and the median of the per-round ratios.
//   npx tsx dev/kernels/bench-wasm-lstm.ts [--preset seed] [--rounds 6]
// States: "ours" (everything), "LSTM on plain ops" (the LSTM kernels off), "before" (also wasm's
// stock Identity and Cast, which copy).
import * as tf from '@tensorflow/tfjs-core';
// Only for the gradients: tfjs-core registers none (as bench-wasm-kernels.ts).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initParams, disposeParams, networkFromConfig, presetConfig, Rng, type ModelPresetName } from '../../src/model';
import { BENCH_SHAPE } from '../../src/bench/bench-table';
import { syntheticBatch } from '../../src/bench/bench-core';
import { steppedTraining } from '../../src/bench/bench-stepper';
import { median } from '../../src/bench/bench-stats';
import { registerWasmKernels, setProjectWasmKernels } from '../../src/platform/kernels/wasm-kernels';

interface NodeProcess {
  argv: string[];
  cpuUsage(previous?: { user: number; system: number }): { user: number; system: number };
}
const host = (globalThis as { process?: NodeProcess }).process!;
const option = (name: string, fallback: string) => {
  const i = host.argv.indexOf(name);
  return i >= 0 && host.argv[i + 1] !== undefined ? host.argv[i + 1]! : fallback;
};
const preset = option('--preset', 'seed') as ModelPresetName;
const rounds = Number(option('--rounds', '6'));
/** Untimed first rounds: they warm kernels and caches and build Adam's slots. */
const WARM_UP_ROUNDS = 2;

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // Node runs wasm on one thread (docs/kernels-and-bench.md)
await tf.setBackend('wasm');
setProjectWasmKernels(false);
const COPIES = ['Identity', 'Cast'];
const stockCopies = COPIES.map((name) => tf.getKernel(name, 'wasm')!);
registerWasmKernels();
const ourCopies = COPIES.map((name) => tf.getKernel(name, 'wasm')!);
const install = (configs: tf.KernelConfig[]) => {
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
};
const states: Array<{ label: string; enter: () => void }> = [
  { label: 'ours', enter: () => setProjectWasmKernels(true) },
  { label: 'LSTM on plain ops', enter: () => setProjectWasmKernels(true, { lstmGates: false }) },
  {
    label: 'before (also copying Identity and Cast)',
    enter: () => (setProjectWasmKernels(true, { lstmGates: false }), install(stockCopies)),
  },
];

const config = presetConfig(preset);
config.architecture.vocab_size = BENCH_SHAPE.vocabSize;
const network = networkFromConfig(config);
const batch = syntheticBatch(network.vocabSize, new Rng(5));
const runs = states.map((state) => {
  state.enter();
  const params = initParams(network, 2);
  return {
    state,
    params,
    training: steppedTraining(network, params, batch),
    wallMs: [] as number[],
    cpuMs: [] as number[],
  };
});
try {
  for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
    for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
      run.state.enter();
      const before = host.cpuUsage();
      const record = await run.training.step();
      const cpu = host.cpuUsage(before);
      if (round < WARM_UP_ROUNDS) continue;
      run.wallMs.push(record.stepMs);
      run.cpuMs.push((cpu.user + cpu.system) / 1000);
    }
  }
} finally {
  for (const run of runs) {
    await run.training.finish();
    disposeParams(run.params);
  }
  install(ourCopies);
  setProjectWasmKernels(true);
}
const ms = (v: number) => v.toFixed(0);
const first = runs[0]!;
console.log(`${preset}, ${rounds} rounds after ${WARM_UP_ROUNDS} warm-up, tensors left: ${tf.memory().numTensors}`);
for (const run of runs) {
  const ratio = (own: number[], base: number[]) =>
    `${(median(own) / median(base)).toFixed(2)}× (per round ${median(own.map((v, i) => v / base[i]!)).toFixed(2)}×)`;
  console.log(
    `${run.state.label}: wall ${ms(median(run.wallMs))} ms [${run.wallMs.map(ms).join(' ')}], ` +
      `CPU ${ms(median(run.cpuMs))} ms [${run.cpuMs.map(ms).join(' ')}]` +
      (run === first
        ? ''
        : `; against ours: wall ${ratio(run.wallMs, first.wallMs)}, CPU ${ratio(run.cpuMs, first.cpuMs)}`),
  );
}
