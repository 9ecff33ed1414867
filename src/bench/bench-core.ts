// The measurements of docs/design.md#performance, shared by the Node CLI (src/cli/bench.ts) and the bench
// page (bench.html, in the page or a worker), so a figure means the same thing everywhere: the real
// training loop (loss, gradients, clipping, Adam) on a synthetic batch, greedy decoding per token,
// beam-5 per answer, load (parse + upload), tensor counts, and beside it a tf.layers.lstm model of
// the same size. Medians after warm-up. Realm-neutral: no Node, no DOM; the caller starts the backend.
import * as tf from '@tensorflow/tfjs-core';
import {
  presetConfig,
  type ModelPresetName,
  downloadParams,
  networkFromConfig,
  readModelFiles,
  uploadParams,
  writeModelFiles,
  Rng,
  countParams,
  disposeParams,
  initParams,
  type NetworkConfig,
  Vocabulary,
} from '../model';
import { beamSearch, greedyDecode, disposeEncoded, encode, type Params } from '../model/internals';
import { train } from '../train/loop';
import type { HostBatch } from '../data/host-batch';
import { kernelGroupOn, setKernelGroup, type KernelGroup } from '../platform/kernels/register';
import { buildLayersBaseline } from './bench-baseline';
import { profileGreedyToken, profileTrainStep, profileWork } from './bench-profile';
import { BENCH_SHAPE, type BenchRow } from './bench-table';

const { batch: BATCH, sourceLength: SOURCE, targetLength: TARGET, decodeTokens: DECODE_TOKENS } = BENCH_SHAPE;

export const BENCH_PRESETS: readonly ModelPresetName[] = ['tiny', 'small', 'seed'];

export interface BenchOptions {
  /** Told the phase about to run ("train", "beam-5", …): a page shows it, a timeout names it. */
  onPhase?: (phase: string) => void;
  /** Also profile one training step and one greedy token (bench-profile.ts). Default true. */
  profile?: boolean;
  /**
   * Also time the tf.layers baseline on stock tfjs kernels where the project replaced them (the
   * direct matmul and reductions on SwiftShader). Default false: at seed size it takes many minutes.
   */
  stockBaseline?: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function syntheticBatch(vocabSize: number, rng: Rng): HostBatch {
  const b: HostBatch = {
    batchSize: BATCH,
    sourceLength: SOURCE,
    targetLength: TARGET,
    numOovs: 0,
    srcIds: new Int32Array(BATCH * SOURCE),
    srcExtIds: new Int32Array(BATCH * SOURCE),
    srcMask: new Float32Array(BATCH * SOURCE).fill(1),
    tgtInIds: new Int32Array(BATCH * TARGET),
    tgtOutExtIds: new Int32Array(BATCH * TARGET),
    tgtMask: new Float32Array(BATCH * TARGET).fill(1),
  };
  for (let i = 0; i < b.srcIds.length; i++) b.srcIds[i] = b.srcExtIds[i] = 4 + rng.nextInt(vocabSize - 4);
  for (let i = 0; i < b.tgtOutExtIds.length; i++) {
    b.tgtOutExtIds[i] = 4 + rng.nextInt(vocabSize - 4);
    b.tgtInIds[i] = i % TARGET === 0 ? 2 : b.tgtOutExtIds[i - 1]!;
  }
  return b;
}

async function timeDecoding(
  network: NetworkConfig,
  params: Params,
  batch: HostBatch,
  runs: number,
  phase: (name: string) => void,
) {
  const one = tf.tidy(() => ({
    srcIds: tf.tensor2d(batch.srcIds.slice(0, SOURCE), [1, SOURCE], 'int32'),
    srcExtIds: tf.tensor2d(batch.srcExtIds.slice(0, SOURCE), [1, SOURCE], 'int32'),
    srcMask: tf.ones([1, SOURCE]) as tf.Tensor2D,
  }));
  const greedy: number[] = [];
  const beam: number[] = [];
  for (let i = 0; i <= runs; i++) {
    phase(`greedy ${i}/${runs}`);
    let t0 = performance.now();
    const enc = encode(network, params, { ...one, numOovs: 0 });
    await greedyDecode(params, enc, { maxLen: DECODE_TOKENS, minLength: DECODE_TOKENS });
    if (i > 0) greedy.push((performance.now() - t0) / DECODE_TOKENS); // run 0 warms up
    phase(`beam-5 ${i}/${runs}`);
    t0 = performance.now();
    await beamSearch(params, enc, { beamWidth: 5, maxLen: DECODE_TOKENS, minLength: DECODE_TOKENS });
    if (i > 0) beam.push(performance.now() - t0);
    disposeEncoded(enc);
  }
  tf.dispose([one.srcIds, one.srcExtIds, one.srcMask]);
  return { greedyMsPerToken: median(greedy), beam5MsPerAnswer: median(beam) };
}

/** The tf.layers.lstm yardstick on the same batch: train step and greedy decoding per token. */
async function timeBaseline(
  network: NetworkConfig,
  batch: HostBatch,
  runs: number,
  phase: (name: string) => void,
  profile: boolean,
): Promise<NonNullable<BenchRow['baseline']>> {
  const model = buildLayersBaseline(network, SOURCE, TARGET);
  const src = tf.tensor2d(batch.srcIds, [BATCH, SOURCE], 'int32');
  const tin = tf.tensor2d(batch.tgtInIds, [BATCH, TARGET], 'int32');
  const tout = tf.tensor2d(Float32Array.from(batch.tgtOutExtIds), [BATCH, TARGET], 'float32'); // layers' sparse loss floors its labels: float32
  try {
    const steps: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      phase(`layers.lstm train ${i + 1}/${runs + 2}`);
      const t0 = performance.now();
      await model.trainStep(src as never, tin as never, tout as never);
      if (i >= 2) steps.push(performance.now() - t0);
    }
    let trainStepProfile = null;
    if (profile) {
      phase('profile: layers.lstm train step');
      trainStepProfile = await profileWork(() => model.trainStep(src as never, tin as never, tout as never));
    }
    const perToken: number[] = [];
    for (let r = 0; r < 3; r++) {
      phase(`layers.lstm greedy ${r}/2`);
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
    return {
      parameters: model.parameters,
      trainStepMs: median(steps),
      greedyMsPerToken: median(perToken),
      trainStepProfile,
    };
  } finally {
    tf.dispose([src, tin, tout]);
    model.dispose();
  }
}

/**
 * One row of the table: `preset` on the backend tfjs runs now (started by the caller), labelled
 * `backendLabel` ("wasm-stock" is wasm with the project's kernels off: the caller switches them).
 * `runs` timed training steps after two warm-up steps; decoding takes between 2 and 5 timed runs.
 */
export async function benchRow(
  preset: ModelPresetName,
  backendLabel: string,
  runs: number,
  withBaseline: boolean,
  options: BenchOptions = {},
): Promise<BenchRow> {
  const phase = options.onPhase ?? (() => {});
  const tensorsBefore = tf.memory().numTensors;
  const fullVocab = Vocabulary.build(
    new Map(Array.from({ length: BENCH_SHAPE.vocabSize }, (_, i) => [`name_${i}`, 1])),
    BENCH_SHAPE.vocabSize,
  );
  const config = presetConfig(preset);
  config.architecture.vocab_size = fullVocab.size;
  const network = networkFromConfig(config);

  // Load: parse the three files and upload the weights (as the app does after fetching them).
  phase('load');
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
  let decoding: Awaited<ReturnType<typeof timeDecoding>>;
  let timed: Array<{ stepMs: number; tokensPerSecond: number }>;
  let profile: BenchRow['profile'] = null;
  try {
    phase(`train 1/${runs + 2}`);
    const result = await train({
      network,
      params,
      data: { batchesPerEpoch: () => 1, batch: () => batch },
      settings: {
        epochs: runs + 2,
        learningRate: 1e-3,
        gradientClipNorm: 1,
        earlyStoppingPatience: 0,
        evalIntervalSteps: 0,
        checkpointIntervalSteps: 0,
        seed: 1,
      },
      evaluate: async () => ({ valLoss: 0, valTokenAccuracy: 0, scores: {} }),
      callbacks: { onStep: (step) => phase(`train ${Math.min(step.step + 1, runs + 2)}/${runs + 2}`) },
    });
    timed = result.history.steps.slice(2); // the first steps warm up kernels and caches
    decoding = await timeDecoding(network, params, batch, Math.max(2, Math.min(runs, 5)), phase);
    if (options.profile !== false) {
      phase('profile: train step');
      const trainStep = await profileTrainStep(network, params, batch);
      phase('profile: greedy token');
      profile = { trainStep, greedyToken: await profileGreedyToken(network, params, batch, DECODE_TOKENS) };
    }
  } finally {
    disposeParams(params);
  }

  const ours = tf.memory(); // before the baseline: tf.layers keeps tensors of its own
  const baseline = withBaseline ? await timeBaseline(network, batch, runs, phase, options.profile !== false) : null;
  // On SwiftShader the baseline above runs on the project's direct matmul and reductions (like for
  // like); this one is tf.layers.lstm as stock tfjs runs it, which is what a user of tfjs gets.
  let stockBaseline: BenchRow['stockBaseline'] = null;
  if (withBaseline && options.stockBaseline && kernelGroupOn('swiftshader-matmul')) {
    const direct: KernelGroup[] = ['swiftshader-matmul', 'swiftshader-reduce', 'swiftshader-pack'];
    for (const group of direct) setKernelGroup(group, false);
    try {
      const stock = await timeBaseline(network, batch, runs, (name) => phase(`stock kernels: ${name}`), false);
      stockBaseline = { trainStepMs: stock.trainStepMs, greedyMsPerToken: stock.greedyMsPerToken };
    } finally {
      for (const group of direct) setKernelGroup(group, true);
    }
  }
  phase('done');
  return {
    preset,
    backend: backendLabel,
    parameters: countParams(network),
    trainStepMs: median(timed.map((s) => s.stepMs)),
    tokensPerSecond: median(timed.map((s) => s.tokensPerSecond)),
    ...decoding,
    loadMs: median(loads),
    tensorsBefore,
    tensorsAfter: ours.numTensors,
    bytesAfter: ours.numBytes,
    baseline,
    stockBaseline,
    profile,
  };
}
