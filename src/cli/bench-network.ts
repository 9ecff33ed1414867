// Timing of the network itself, per backend: forward (teacher-forced loss), forward + backward
// (loss and every parameter gradient) and greedy decoding per token, for the default architecture
// on one batch of 32 sources of 60 tokens with targets of 16, vocabulary 2000.
//
//   npx tsx src/cli/bench-network.ts
//
// A script, not part of the model: it picks backends. Node needs '@tensorflow/tfjs' for the
// gradient registrations (see assertGradientsRegistered). Stock tfjs-backend-wasm 4.22 has no
// UnsortedSegmentSum (the gradient of the embedding gather), so stock wasm runs forward only and
// forward + backward runs with the project's wasm kernels (src/platform/kernels) when they load.
// On cpu, one profiled run: the stock cpu UnsortedSegmentSum loops over all 2000 segments.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Rng, type NetworkConfig, countParams, disposeParams, initParams } from '../model';
import {
  greedyDecode,
  type Batch,
  DEFAULT_NETWORK_CONFIG,
  disposeEncoded,
  encode,
  lossAndGrads,
  sequenceLoss,
} from '../model/internals';

const BATCH = 32;
const SOURCE_LENGTH = 60;
const TARGET_LENGTH = 16;
const NUM_OOVS = 8;

/** A random padded batch: source lengths 40–60, about 1 in 10 source tokens out of vocabulary. */
function randomBatch(c: NetworkConfig, rng: Rng): Batch {
  const V = c.vocabSize;
  const src: number[][] = [];
  const srcExt: number[][] = [];
  const mask: number[][] = [];
  for (let b = 0; b < BATCH; b++) {
    const len = 40 + rng.nextInt(SOURCE_LENGTH - 40 + 1);
    const ext = Array.from({ length: SOURCE_LENGTH }, (_, i) =>
      i >= len ? 0 : rng.next() < 0.1 ? V + rng.nextInt(NUM_OOVS) : 4 + rng.nextInt(V - 4),
    );
    srcExt.push(ext);
    src.push(ext.map((id) => (id >= V ? 1 : id)));
    mask.push(ext.map((_, i) => (i < len ? 1 : 0)));
  }
  const tgtOut = Array.from({ length: BATCH }, (_, b) =>
    Array.from({ length: TARGET_LENGTH }, (_, t) => (t === TARGET_LENGTH - 1 ? 3 : srcExt[b][t])),
  );
  const tgtIn = tgtOut.map((row) => [2, ...row.slice(0, -1)].map((id) => (id >= V ? 1 : id)));
  const ints = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');
  return {
    srcIds: ints(src),
    srcExtIds: ints(srcExt),
    srcMask: tf.tensor2d(mask),
    numOovs: NUM_OOVS,
    tgtInIds: ints(tgtIn),
    tgtOutExtIds: ints(tgtOut),
    tgtMask: tf.ones([BATCH, TARGET_LENGTH]) as tf.Tensor2D,
  };
}

/** Median wall time of `runs` calls, after `warmUp` untimed calls, in ms. */
async function time(runs: number, warmUp: number, fn: () => Promise<void> | void): Promise<number> {
  for (let i = 0; i < warmUp; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

interface Row {
  backend: string;
  forwardMs: number;
  forwardBackwardMs: number | null;
  segmentSumMs: number | null; // UnsortedSegmentSum's share of forward + backward (cpu: profiled)
  decodeMsPerToken: number;
}

/**
 * One backend setting. cpu is slow enough that one run, profiled to show the embedding-gradient
 * kernel's share, is all it gets; wasm gets a warm-up and the median of three.
 */
async function bench(label: string, train: boolean, slow: boolean): Promise<Row> {
  const config = DEFAULT_NETWORK_CONFIG;
  const params = initParams(config, 1);
  const batch = randomBatch(config, new Rng(2));
  const [runs, warmUp] = slow ? [1, 0] : [3, 1];

  const forwardMs = await time(runs, warmUp, () => {
    tf.tidy(() => sequenceLoss(config, params, batch).loss.dataSync());
  });
  let forwardBackwardMs: number | null = null;
  let segmentSumMs: number | null = null;
  if (train) {
    let step = 0;
    const trainStep = () => {
      const g = lossAndGrads(config, params, batch, { training: true, dropoutSeed: step++ });
      g.loss.dataSync();
      g.grads['embedding'].dataSync();
      tf.dispose([g.loss, g.accuracy, ...Object.values(g.grads)]);
    };
    if (slow) {
      const t0 = performance.now();
      const info = await tf.profile(trainStep);
      forwardBackwardMs = performance.now() - t0;
      segmentSumMs = info.kernels
        .filter((k) => k.name === 'UnsortedSegmentSum')
        .reduce((n, k) => n + (k.kernelTimeMs as number), 0);
    } else {
      forwardBackwardMs = await time(runs, warmUp, trainStep);
    }
  }

  // Greedy decoding of one source, 16 tokens (</s> forbidden so every run makes 16 steps).
  const row0 = (t: tf.Tensor2D) => tf.slice(t, [0, 0], [1, SOURCE_LENGTH]) as tf.Tensor2D;
  const one = {
    srcIds: row0(batch.srcIds),
    srcExtIds: row0(batch.srcExtIds),
    srcMask: row0(batch.srcMask),
    numOovs: NUM_OOVS,
  };
  const enc = encode(config, params, one);
  const decodeMs = await time(runs, 1, async () => {
    await greedyDecode(params, enc, { minLength: TARGET_LENGTH, maxLen: TARGET_LENGTH });
  });
  disposeEncoded(enc);
  tf.dispose([one.srcIds, one.srcExtIds, one.srcMask]);
  tf.dispose([batch.srcIds, batch.srcExtIds, batch.srcMask, batch.tgtInIds, batch.tgtOutExtIds, batch.tgtMask]);
  disposeParams(params);
  const row = {
    backend: label,
    forwardMs,
    forwardBackwardMs,
    segmentSumMs,
    decodeMsPerToken: decodeMs / TARGET_LENGTH,
  };
  const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} ms`);
  console.log(
    `${label.padEnd(20)} forward ${ms(forwardMs)}, forward+backward ${ms(forwardBackwardMs)}` +
      `${segmentSumMs === null ? '' : ` (UnsortedSegmentSum ${ms(segmentSumMs)})`}, greedy decode ${row.decodeMsPerToken.toFixed(1)} ms/token`,
  );
  return row;
}

async function main(): Promise<void> {
  const config = DEFAULT_NETWORK_CONFIG;
  console.log(
    `network: hidden ${config.hiddenSize}, ${config.numLayers} layers, ${config.attentionHeads} heads, ` +
      `bidirectional first layer ${config.bidirectionalEncoder}, copy ${config.copyMechanism}, vocab ${config.vocabSize}, ` +
      `embedding ${config.embeddingDim}: ${countParams(config).toLocaleString('en-US')} parameters`,
  );
  console.log(`batch: ${BATCH} sources × ${SOURCE_LENGTH} tokens (lengths 40–60), targets × ${TARGET_LENGTH}`);
  const rows: Row[] = [];
  await tf.setBackend('wasm');
  // Stock wasm first: it cannot train (no UnsortedSegmentSum), so forward and decoding only.
  rows.push(await bench('wasm (stock)', false, false));
  try {
    const kernels: { registerWasmKernels: () => void } = await import('../platform/kernels/wasm-kernels.js');
    kernels.registerWasmKernels();
    rows.push(await bench('wasm + project kernels', true, false));
  } catch (e) {
    console.log(`wasm + project kernels: unavailable (${(e as Error).message})`);
  }
  await tf.setBackend('cpu');
  rows.push(await bench('cpu', true, true));
  console.log(JSON.stringify({ parameters: countParams(config), rows }));
}

await main();
