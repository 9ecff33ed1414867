// The LSTM ops' wasm kernels (src/platform/kernels/wasm-lstm.ts) against the model's reference on
// plain ops, both on the project's other wasm kernels, in one Node process: the bench's rows
// (src/bench/bench-core.ts: the real training loop, greedy and beam-5) with the kernels switched on
// and off round by round, so both sides see the same machine. Prints the table, the ratios and the
// profile of one training step of each.
//   npx tsx dev/kernels/bench-wasm-lstm.ts [--preset seed] [--runs 7] [--no-profile]
import * as tf from '@tensorflow/tfjs-core';
// Only for the gradients: tfjs-core registers none (as bench-wasm-kernels.ts).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelPresetName } from '../../src/model';
import { benchRows, type BenchVariant } from '../../src/bench/bench-core';
import { formatComparisons, formatProfileTable, formatTable } from '../../src/bench/bench-table';
import { registerWasmKernels, setProjectWasmKernels } from '../../src/platform/kernels/wasm-kernels';

const host = globalThis as {
  process?: { argv: string[]; stdout: { write(s: string): void }; stderr: { write(s: string): void } };
  navigator?: { hardwareConcurrency?: number };
};
const argv = host.process?.argv.slice(2) ?? [];
const write = (text: string) => host.process?.stdout.write(text);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const preset = option('--preset', 'seed') as ModelPresetName;
const runs = Number(option('--runs', '7'));
const profile = !argv.includes('--no-profile');

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // Node runs wasm on one thread (docs/kernels-and-bench.md)
await tf.setBackend('wasm');
registerWasmKernels();
const variants: BenchVariant[] = [
  { label: 'wasm', enter: () => setProjectWasmKernels(true), baseline: false },
  {
    label: 'wasm (LSTM on plain ops)',
    enter: () => setProjectWasmKernels(true, { lstmGates: false }),
    baseline: false,
  },
];
const cores = host.navigator?.hardwareConcurrency ?? 0;
const environment = { cores, cpu: null, crossOriginIsolated: null, threads: 1, torch: null };
try {
  const rows = await benchRows(preset, variants, runs, {
    profile,
    floor: false, // the matmuls are the same on both sides
    environment,
    onPhase: (phase) => host.process?.stderr.write(`${phase}\n`),
  });
  write(`${formatTable(rows)}\n\nAlternated in the same rounds, as ratios:\n\n${formatComparisons(rows)}\n`);
  if (profile) write(`\n${formatProfileTable(rows)}\n`);
} finally {
  setProjectWasmKernels(true);
}
