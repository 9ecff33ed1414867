// `bench`: the performance figures of docs/design.md#performance in Node, measured side by side in one run:
// training step (the real loop: loss, gradients, clipping, Adam), tokens per second, greedy decode
// per token, beam-5 per answer, model load time and tensor counts, for each model size and backend,
// beside a tf.layers.lstm model of the same size on the same backend, and (wasm) beside the stock
// wasm kernels. The wasm and wasm-stock rows alternate round by round (bench-stats.ts), so their
// ratio holds under the machine's swings; each figure is a median, with its spread. Each training
// step stands beside its floor (bench-floor.ts; a pytorch row's from trainer/floor.py).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { ModelPresetName } from '../model';
import { initNodeBackend } from '../platform/node/node';
import { setProjectWasmKernels } from '../platform/kernels/wasm-kernels';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { BENCH_PRESETS, benchRow, benchRows, type BenchVariant } from '../bench/bench-core';
import {
  BENCH_SHAPE,
  formatComparisons,
  formatProfileTable,
  formatTable,
  type BenchEnvironment,
  type BenchRow,
} from '../bench/bench-table';
import { machineDescription } from './train-finish';
import { benchPytorch, benchPytorchThreads } from './bench-pytorch';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- bench [--presets seed,tiny] [--backends wasm,wasm-stock,cpu,pytorch] [--runs 5] [--torch-threads 1,2] [--torch-rounds 3] [--no-baseline] [--no-profile] [--json] [--out bench-results/node.json]
  Batch 32, sources of 60 tokens, targets of 16, vocabulary 2000. wasm-stock is wasm with the
  project's kernels switched off (UnsortedSegmentSum stays: stock wasm has none and cannot train
  without it). pytorch is the same network in PyTorch (python3 -m trainer bench; --torch-threads,
  default 1 like Node's wasm; several counts alternate, --torch-rounds runs each, one process a
  run; each run profiles its step and times its floor, its matmuls alone); wasm and wasm-stock
  alternate round by round; --no-profile leaves out the profiles and the floors (at seed size
  stock wasm's profile takes minutes); without torch its row says why it is missing. The same rows in the browser: bench.html, e2e/bench.measure.ts.`;

/** Where Node's rows run: this machine, no isolation (Node has none), the backend's threads. */
function nodeEnvironment(threads: number | null): BenchEnvironment {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? null, crossOriginIsolated: null, threads, torch: null };
}

/** The threads the wasm backend reports (Node runs the build without a pool: 1). */
function wasmThreads(): number {
  return Math.max(1, getThreadsCount());
}

/**
 * The rows of one preset on tfjs backends. wasm and wasm-stock, when both are asked for, are one
 * comparison: the same backend with the project's kernels on and off, alternating round by round.
 */
async function benchTfjs(
  preset: ModelPresetName,
  backends: string[],
  runs: number,
  withBaseline: boolean,
  profile: boolean,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const wasmLabels = backends.filter((b) => b === 'wasm' || b === 'wasm-stock');
  if (wasmLabels.length > 0) {
    process.stderr.write(
      `bench ${preset} on ${wasmLabels.join(' and ')}${wasmLabels.length > 1 ? ', alternating' : ''}…\n`,
    );
    await initNodeBackend('wasm');
    const variants: BenchVariant[] = wasmLabels.map((label) => ({
      label,
      enter: () => setProjectWasmKernels(label === 'wasm'),
      // The stock wasm kernels are compared with ours; tf.layers on them adds nothing but minutes.
      baseline: withBaseline && label === 'wasm',
    }));
    try {
      rows.push(...(await benchRows(preset, variants, runs, { profile, environment: nodeEnvironment(wasmThreads()) })));
    } finally {
      setProjectWasmKernels(true);
    }
  }
  if (backends.includes('cpu')) {
    process.stderr.write(`bench ${preset} on cpu…\n`);
    await initNodeBackend('cpu');
    rows.push(await benchRow(preset, 'cpu', runs, withBaseline, { profile, environment: nodeEnvironment(1) }));
  }
  return rows;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      presets: { type: 'string', default: 'tiny,seed' },
      backends: { type: 'string', default: 'wasm,wasm-stock,pytorch' },
      runs: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results/node.json' },
      baseline: { type: 'boolean', default: true },
      'torch-threads': { type: 'string', default: '1' },
      'torch-rounds': { type: 'string', default: '1' },
      'no-baseline': { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
    },
  });
  const presets = values.presets!.split(',') as ModelPresetName[];
  for (const p of presets)
    if (!BENCH_PRESETS.includes(p)) throw new UsageError(`unknown preset "${p}": use tiny, small or seed`);
  const backends = values.backends!.split(',');
  for (const b of backends)
    if (!['wasm', 'wasm-stock', 'cpu', 'pytorch'].includes(b))
      throw new UsageError(`unknown backend "${b}" for Node: use wasm, wasm-stock, cpu or pytorch`);
  const torchThreads = values['torch-threads']!.split(',').map(Number);
  if (torchThreads.some((t) => !Number.isInteger(t) || t < 1))
    throw new UsageError(`--torch-threads must be positive integers, got ${values['torch-threads']}`);
  const torchRounds = Number(values['torch-rounds']);
  if (!Number.isInteger(torchRounds) || torchRounds < 1)
    throw new UsageError(`--torch-rounds must be a positive integer, got ${values['torch-rounds']}`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new UsageError(`--runs must be a positive integer, got ${values.runs}`);
  const rows: BenchRow[] = [];
  for (const preset of presets) {
    rows.push(...(await benchTfjs(preset, backends, runs, !values['no-baseline'], !values['no-profile'])));
    // PyTorch runs in its own processes, after the tfjs rows: its rows are not alternated with them.
    for (let i = 0; i < backends.filter((b) => b === 'pytorch').length; i++) {
      process.stderr.write(`bench ${preset} on pytorch, ${torchThreads.join(' and ')} thread(s)…\n`);
      const profile = !values['no-profile'];
      const measure = (threads: number) => benchPytorch(preset, runs, threads, undefined, profile);
      for (const row of await benchPytorchThreads(preset, runs, torchThreads, torchRounds, measure))
        rows.push({
          ...row,
          environment: { ...nodeEnvironment(row.pytorch?.threads ?? null), torch: row.pytorch?.torch ?? null },
        });
    }
  }
  const { batch, sourceLength, targetLength, decodeTokens } = BENCH_SHAPE;
  const result = {
    created: new Date().toISOString(),
    machine: machineDescription(),
    batch,
    sourceLength,
    targetLength,
    decodeTokens,
    runs,
    rows,
  };
  mkdirSync(values.out!.replace(/\/[^/]*$/, '') || '.', { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(result, null, 1)}\n`);
  const comparisons = formatComparisons(rows);
  process.stdout.write(
    values.json
      ? `${JSON.stringify(result, null, 1)}\n`
      : `${formatTable(rows)}\n\n${comparisons ? `Alternated in the same rounds, as ratios:\n\n${comparisons}\n\n` : ''}What limits each figure (per training step and per greedy token):\n\n${formatProfileTable(rows)}\n\nwritten to ${values.out}\n`,
  );
  return 0;
}
