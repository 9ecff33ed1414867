// `bench`: the performance figures of DESIGN.md section 9 in Node, measured side by side in one run:
// training step (the real loop: loss, gradients, clipping, Adam), tokens per second, greedy decode
// per token, beam-5 per answer, model load time and tensor counts, for each model size and backend,
// beside a tf.layers.lstm model of the same size on the same backend, and (wasm) beside the stock
// wasm kernels. Medians after warm-up; compare rows as ratios, the machine is noisy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { presetConfig, type ModelPresetName } from '../model/config';
import { beamSearch, greedyDecode } from '../model/decoding';
import { downloadParams, networkFromConfig, readModelFiles, uploadParams, writeModelFiles } from '../model/model-files';
import { Rng } from '../model/random';
import { countParams, disposeEncoded, disposeParams, encode, initParams, type NetworkConfig, type Params } from '../model/seq2seq';
import { Vocabulary } from '../model/vocab';
import { train } from '../train/loop';
import type { HostBatch } from '../train/host-batch';
import { initNodeBackend } from '../platform/node';
import { setProjectWasmKernels } from '../platform/kernels/wasm-kernels';
import { buildLayersBaseline } from './bench-baseline';
import { machineDescription } from './train-finish';
import { UsageError } from './main';

export const usage = `usage: npm run cli -- bench [--presets seed,tiny] [--backends wasm,wasm-stock,cpu] [--runs 5] [--json] [--out bench-results/node.json]
  Batch 32, sources of 60 tokens, targets of 16, vocabulary 2000. wasm-stock is wasm with the
  project's kernels switched off (UnsortedSegmentSum stays: stock wasm has none and cannot train
  without it).`;

const BATCH = 32;
const SOURCE = 60;
const TARGET = 16;
const DECODE_TOKENS = 20;

export interface BenchRow {
  preset: string;
  backend: string;
  parameters: number;
  trainStepMs: number;
  tokensPerSecond: number;
  greedyMsPerToken: number;
  beam5MsPerAnswer: number;
  loadMs: number;
  tensorsBefore: number;
  tensorsAfter: number;
  bytesAfter: number;
  baseline: { parameters: number; trainStepMs: number; greedyMsPerToken: number } | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function syntheticBatch(vocabSize: number, rng: Rng): HostBatch {
  const b: HostBatch = {
    batchSize: BATCH, sourceLength: SOURCE, targetLength: TARGET, numOovs: 0,
    srcIds: new Int32Array(BATCH * SOURCE), srcExtIds: new Int32Array(BATCH * SOURCE), srcMask: new Float32Array(BATCH * SOURCE).fill(1),
    tgtInIds: new Int32Array(BATCH * TARGET), tgtOutExtIds: new Int32Array(BATCH * TARGET), tgtMask: new Float32Array(BATCH * TARGET).fill(1),
  };
  for (let i = 0; i < b.srcIds.length; i++) b.srcIds[i] = b.srcExtIds[i] = 4 + rng.nextInt(vocabSize - 4);
  for (let i = 0; i < b.tgtOutExtIds.length; i++) {
    b.tgtOutExtIds[i] = 4 + rng.nextInt(vocabSize - 4);
    b.tgtInIds[i] = i % TARGET === 0 ? 2 : b.tgtOutExtIds[i - 1]!;
  }
  return b;
}

async function timeDecoding(network: NetworkConfig, params: Params, batch: HostBatch, runs: number) {
  const one = tf.tidy(() => ({
    srcIds: tf.tensor2d(batch.srcIds.slice(0, SOURCE), [1, SOURCE], 'int32'),
    srcExtIds: tf.tensor2d(batch.srcExtIds.slice(0, SOURCE), [1, SOURCE], 'int32'),
    srcMask: tf.ones([1, SOURCE]) as tf.Tensor2D,
  }));
  const greedy: number[] = [];
  const beam: number[] = [];
  for (let i = 0; i <= runs; i++) {
    let t0 = performance.now();
    const enc = encode(network, params, { ...one, numOovs: 0 });
    await greedyDecode(params, enc, { maxLen: DECODE_TOKENS, minLength: DECODE_TOKENS });
    if (i > 0) greedy.push((performance.now() - t0) / DECODE_TOKENS); // run 0 warms up
    t0 = performance.now();
    await beamSearch(params, enc, { beamWidth: 5, maxLen: DECODE_TOKENS, minLength: DECODE_TOKENS });
    if (i > 0) beam.push(performance.now() - t0);
    disposeEncoded(enc);
  }
  tf.dispose([one.srcIds, one.srcExtIds, one.srcMask]);
  return { greedyMsPerToken: median(greedy), beam5MsPerAnswer: median(beam) };
}

async function benchOne(preset: ModelPresetName, backend: string, runs: number, withBaseline: boolean): Promise<BenchRow> {
  await initNodeBackend(backend === 'wasm-stock' ? 'wasm' : backend);
  setProjectWasmKernels(backend !== 'wasm-stock');
  const tensorsBefore = tf.memory().numTensors;
  const fullVocab = Vocabulary.build(new Map(Array.from({ length: 2000 }, (_, i) => [`name_${i}`, 1])), 2000);
  const config = presetConfig(preset);
  config.architecture.vocab_size = fullVocab.size;
  const network = networkFromConfig(config);

  // Load: parse the three files and upload the weights (as the app does after fetching them).
  const init = initParams(network, 1);
  const files = writeModelFiles(config, fullVocab, await downloadParams(init));
  disposeParams(init);
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const p = uploadParams(readModelFiles(files));
    await p['embedding']!.data();
    loads.push(performance.now() - t0);
    disposeParams(p);
  }

  const batch = syntheticBatch(network.vocabSize, new Rng(5));
  const params = initParams(network, 2);
  const result = await train({
    network, params, data: { batchesPerEpoch: () => 1, batch: () => batch },
    settings: { epochs: runs + 2, learningRate: 1e-3, gradientClipNorm: 1, earlyStoppingPatience: 0, evalIntervalSteps: 0, checkpointIntervalSteps: 0, seed: 1 },
    evaluate: async () => ({ valLoss: 0, valTokenAccuracy: 0, scores: {} }),
  });
  const timed = result.history.steps.slice(2); // the first steps warm up kernels and caches
  const decoding = await timeDecoding(network, params, batch, Math.max(2, Math.min(runs, 5)));
  disposeParams(params);

  const ours = tf.memory(); // before the baseline: tf.layers keeps tensors of its own
  let baseline: BenchRow['baseline'] = null;
  if (withBaseline) {
    const model = buildLayersBaseline(network, SOURCE, TARGET);
    const src = tf.tensor2d(batch.srcIds, [BATCH, SOURCE], 'int32');
    const tin = tf.tensor2d(batch.tgtInIds, [BATCH, TARGET], 'int32');
    const tout = tf.tensor2d(Float32Array.from(batch.tgtOutExtIds), [BATCH, TARGET], 'float32'); // layers' sparse loss floors its labels: float32
    const steps: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      await model.trainStep(src as never, tin as never, tout as never);
      if (i >= 2) steps.push(performance.now() - t0);
    }
    const perToken: number[] = [];
    for (let r = 0; r < 3; r++) {
      let states = model.initialStates(tf.slice(src, [0, 0], [1, SOURCE]) as never);
      let token = tf.tensor2d([[2]], [1, 1], 'int32');
      const t0 = performance.now();
      for (let t = 0; t < DECODE_TOKENS; t++) {
        const out = model.decodeStep(token as never, states);
        const id = (await out.next.data())[0]!;
        tf.dispose([token, out.next, ...states]);
        states = out.states;
        token = tf.tensor2d([[id]], [1, 1], 'int32');
      }
      if (r > 0) perToken.push((performance.now() - t0) / DECODE_TOKENS);
      tf.dispose([token, ...states]);
    }
    tf.dispose([src, tin, tout]);
    baseline = { parameters: model.parameters, trainStepMs: median(steps), greedyMsPerToken: median(perToken) };
    model.dispose();
  }
  setProjectWasmKernels(true);
  return {
    preset, backend, parameters: countParams(network),
    trainStepMs: median(timed.map((s) => s.stepMs)), tokensPerSecond: median(timed.map((s) => s.tokensPerSecond)),
    ...decoding, loadMs: median(loads), tensorsBefore, tensorsAfter: ours.numTensors, bytesAfter: ours.numBytes, baseline,
  };
}

export function formatTable(rows: BenchRow[]): string {
  const f = (v: number, d = 1) => v.toFixed(d);
  const lines = ['| model | backend | train step ms | tokens/s | greedy ms/token | beam-5 ms/answer | load ms | tensors before→after | layers.lstm step ms (ratio) | layers.lstm greedy ms/token (ratio) |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const b = r.baseline;
    lines.push(`| ${r.preset} (${r.parameters.toLocaleString('en-US')} params) | ${r.backend} | ${f(r.trainStepMs)} | ${f(r.tokensPerSecond, 0)} | ${f(r.greedyMsPerToken, 2)} | ${f(r.beam5MsPerAnswer)} | ${f(r.loadMs)} | ${r.tensorsBefore}→${r.tensorsAfter} | ` +
      (b ? `${f(b.trainStepMs)} (${f(b.trainStepMs / r.trainStepMs, 2)}×) | ${f(b.greedyMsPerToken, 2)} (${f(b.greedyMsPerToken / r.greedyMsPerToken, 2)}×) |` : '– | – |'));
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      presets: { type: 'string', default: 'tiny,seed' }, backends: { type: 'string', default: 'wasm,wasm-stock' },
      runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench-results/node.json' },
      baseline: { type: 'boolean', default: true }, 'no-baseline': { type: 'boolean', default: false },
    },
  });
  const presets = values.presets!.split(',') as ModelPresetName[];
  for (const p of presets) if (!['tiny', 'small', 'seed'].includes(p)) throw new UsageError(`unknown preset "${p}": use tiny, small or seed`);
  const backends = values.backends!.split(',');
  for (const b of backends) if (!['wasm', 'wasm-stock', 'cpu'].includes(b)) throw new UsageError(`unknown backend "${b}" for Node: use wasm, wasm-stock or cpu`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a positive integer, got ${values.runs}`);
  const rows: BenchRow[] = [];
  for (const preset of presets) {
    for (const backend of backends) {
      process.stderr.write(`bench ${preset} on ${backend}…\n`);
      rows.push(await benchOne(preset, backend, runs, !values['no-baseline'] && backend !== 'wasm-stock'));
    }
  }
  const result = { created: new Date().toISOString(), machine: machineDescription(), batch: BATCH, sourceLength: SOURCE, targetLength: TARGET, decodeTokens: DECODE_TOKENS, runs, rows };
  mkdirSync(values.out!.replace(/\/[^/]*$/, '') || '.', { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 1)}\n` : `${formatTable(rows)}\n\nwritten to ${values.out}\n`);
  return 0;
}
