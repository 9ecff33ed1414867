// `bench`: the performance figures of docs/design.md#performance in Node, measured side by side in one run:
// training step (the real loop: loss, gradients, clipping, Adam), tokens per second, greedy decode
// per token, beam-5 per answer, model load time and tensor counts, for each model size and backend,
// beside a tf.layers.lstm model of the same size on the same backend, and (wasm) beside the stock
// wasm kernels. Medians after warm-up; compare rows as ratios, the machine is noisy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ModelPresetName } from '../model';
import { initNodeBackend } from '../platform/node/node';
import { setProjectWasmKernels } from '../platform/kernels/wasm-kernels';
import { BENCH_PRESETS, benchRow } from '../bench/bench-core';
import { BENCH_SHAPE, formatProfileTable, formatTable, type BenchRow } from '../bench/bench-table';
import { machineDescription } from './train-finish';
import { benchPytorch } from './bench-pytorch';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- bench [--presets seed,tiny] [--backends wasm,wasm-stock,cpu,pytorch] [--runs 5] [--torch-threads 1] [--json] [--out bench-results/node.json]
  Batch 32, sources of 60 tokens, targets of 16, vocabulary 2000. wasm-stock is wasm with the
  project's kernels switched off (UnsortedSegmentSum stays: stock wasm has none and cannot train
  without it). pytorch is the same network in PyTorch (python3 -m trainer bench; --torch-threads,
  default 1 like Node's wasm); without torch its row says why it is missing. The same rows in the browser: bench.html, e2e/bench.measure.ts.`;

async function benchOne(
  preset: ModelPresetName,
  backend: string,
  runs: number,
  withBaseline: boolean,
): Promise<BenchRow> {
  await initNodeBackend(backend === 'wasm-stock' ? 'wasm' : backend);
  setProjectWasmKernels(backend !== 'wasm-stock');
  try {
    return await benchRow(preset, backend, runs, withBaseline);
  } finally {
    setProjectWasmKernels(true);
  }
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
      'no-baseline': { type: 'boolean', default: false },
    },
  });
  const presets = values.presets!.split(',') as ModelPresetName[];
  for (const p of presets)
    if (!BENCH_PRESETS.includes(p)) throw new UsageError(`unknown preset "${p}": use tiny, small or seed`);
  const backends = values.backends!.split(',');
  for (const b of backends)
    if (!['wasm', 'wasm-stock', 'cpu', 'pytorch'].includes(b))
      throw new UsageError(`unknown backend "${b}" for Node: use wasm, wasm-stock, cpu or pytorch`);
  const torchThreads = Number(values['torch-threads']);
  if (!Number.isInteger(torchThreads) || torchThreads < 1)
    throw new UsageError(`--torch-threads must be a positive integer, got ${values['torch-threads']}`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new UsageError(`--runs must be a positive integer, got ${values.runs}`);
  const rows: BenchRow[] = [];
  for (const preset of presets) {
    for (const backend of backends) {
      process.stderr.write(`bench ${preset} on ${backend}…\n`);
      rows.push(
        backend === 'pytorch'
          ? benchPytorch(preset, runs, torchThreads)
          : await benchOne(preset, backend, runs, !values['no-baseline'] && backend !== 'wasm-stock'),
      );
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
  process.stdout.write(
    values.json
      ? `${JSON.stringify(result, null, 1)}\n`
      : `${formatTable(rows)}\n\nWhat limits each figure (per training step and per greedy token):\n\n${formatProfileTable(rows)}\n\nwritten to ${values.out}\n`,
  );
  return 0;
}
