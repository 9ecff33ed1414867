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
import { beamSearch, greedyDecode, disposeEncoded, encode } from '../model/internals';
import type { StepRecord } from '../train/loop';
import type { HostBatch } from '../data/host-batch';
import { kernelGroupOn, setKernelGroup, type KernelGroup } from '../platform/kernels/register';
import { buildLayersBaseline } from './bench-baseline';
import { profileGreedyToken, profileTrainStep, profileWork } from './bench-profile';
import { BENCH_SHAPE, type BenchEnvironment, type BenchRow, type Floor } from './bench-table';
import { alternate, median, spreadOf } from './bench-stats';
import { measureFloor } from './bench-floor';
import { steppedTraining, type SteppedTraining } from './bench-stepper';

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
  /** Also measure the training step's floor (bench-floor.ts) when profiling. Default true. */
  floor?: boolean;
  /** Where the rows ran (cores, CPU, isolation, threads), copied onto each row. */
  environment?: BenchEnvironment;
}

/** Timed loads of the model files per variant. */
const LOADS = 3;
/** Untimed first steps: they warm kernels and caches and build Adam's slots. */
const TRAIN_WARM_UP_STEPS = 2;

/** The bench's training batch: random tokens, no padding, the same for every variant. */
export function syntheticBatch(vocabSize: number, rng: Rng): HostBatch {
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

/** One side of a comparison the bench alternates within one run. */
export interface BenchVariant {
  /** The row's backend label ("wasm", "wasm-stock"). */
  label: string;
  /** Puts the backend in this variant's state (the project's kernels on or off) before each of its measurements. */
  enter?: () => void;
  /** Also time the tf.layers.lstm baseline for this variant (after the alternating part). */
  baseline: boolean;
}

/** One variant's model and loop while the rounds alternate. */
interface VariantRun {
  variant: BenchVariant;
  params: ReturnType<typeof initParams>;
  training: SteppedTraining;
  steps: StepRecord[];
}

const enter = (v: BenchVariant) => v.enter?.();

/** Parse the three files and upload the weights, as the app does after fetching them; ms. */
async function timeLoad(files: ReturnType<typeof writeModelFiles>): Promise<number> {
  const t0 = performance.now();
  const p = uploadParams(readModelFiles(files));
  await p['embedding']!.data();
  const ms = performance.now() - t0;
  disposeParams(p);
  return ms;
}

/**
 * Rows of the table for `preset` on the backend tfjs runs now (started by the caller), one per
 * variant, measured in alternating rounds (bench-stats.ts): each round runs one training step,
 * then later one greedy answer and one beam-5 answer, of every variant, in an order that flips
 * round by round, so that both sides of a comparison see the same machine. `runs` timed training
 * steps after two warm-up steps; decoding takes between 2 and 5 timed answers after one warm-up.
 */
export async function benchRows(
  preset: ModelPresetName,
  variants: readonly BenchVariant[],
  runs: number,
  options: BenchOptions = {},
): Promise<BenchRow[]> {
  const phase = options.onPhase ?? (() => {});
  const tensorsBefore = tf.memory().numTensors;
  const fullVocab = Vocabulary.build(
    new Map(Array.from({ length: BENCH_SHAPE.vocabSize }, (_, i) => [`name_${i}`, 1])),
    BENCH_SHAPE.vocabSize,
  );
  const config = presetConfig(preset);
  config.architecture.vocab_size = fullVocab.size;
  const network = networkFromConfig(config);
  const named = (v: BenchVariant, what: string) => (variants.length > 1 ? `${v.label}: ${what}` : what);

  phase('load');
  const init = initParams(network, 1);
  const files = writeModelFiles(config, fullVocab, await downloadParams(init));
  disposeParams(init);
  const loads = await alternate(variants, LOADS, 0, async (v) => (enter(v), timeLoad(files)));

  const batch = syntheticBatch(network.vocabSize, new Rng(5));
  const one = tf.tidy(() => ({
    srcIds: tf.tensor2d(batch.srcIds.slice(0, SOURCE), [1, SOURCE], 'int32'),
    srcExtIds: tf.tensor2d(batch.srcExtIds.slice(0, SOURCE), [1, SOURCE], 'int32'),
    srcMask: tf.ones([1, SOURCE]) as tf.Tensor2D,
  }));
  const running: VariantRun[] = variants.map((variant) => {
    const params = initParams(network, 2);
    return { variant, params, training: steppedTraining(network, params, batch), steps: [] };
  });
  const runOf = (v: BenchVariant) => running[variants.indexOf(v)]!;
  const decodeRuns = Math.max(2, Math.min(runs, 5));
  let firstAnswers: number[][];
  let greedy: number[][];
  let beam: number[][];
  const profiles: Array<BenchRow['profile']> = variants.map(() => null);
  const floors: Array<Floor | null> = variants.map(() => null);
  try {
    await alternate(variants, runs, TRAIN_WARM_UP_STEPS, async (v, round) => {
      phase(named(v, `train ${round + 1}/${runs + TRAIN_WARM_UP_STEPS}`));
      enter(v);
      const record = await runOf(v).training.step();
      if (round >= TRAIN_WARM_UP_STEPS) runOf(v).steps.push(record);
      return record.stepMs;
    });
    for (const r of running) await r.training.finish();

    const encoded = running.map((r) => (enter(r.variant), encode(network, r.params, { ...one, numOovs: 0 })));
    try {
      const answer = async (v: BenchVariant, decoding: 'greedy' | 'beam-5') => {
        enter(v);
        const [params, enc] = [runOf(v).params, encoded[variants.indexOf(v)]!];
        const lengths = { maxLen: DECODE_TOKENS, minLength: DECODE_TOKENS };
        const t0 = performance.now();
        if (decoding === 'greedy') await greedyDecode(params, enc, lengths);
        else await beamSearch(params, enc, { ...lengths, beamWidth: 5 });
        return performance.now() - t0;
      };
      // The first answer of each variant, on kernels decoding has not run yet: kept apart as the cold answer.
      firstAnswers = await alternate(
        variants,
        1,
        0,
        (v) => (phase(named(v, 'first greedy answer')), answer(v, 'greedy')),
      );
      greedy = await alternate(variants, decodeRuns, 0, (v, round) => {
        phase(named(v, `greedy ${round + 1}/${decodeRuns}`));
        return answer(v, 'greedy');
      });
      beam = await alternate(variants, decodeRuns, 1, (v, round) => {
        phase(named(v, `beam-5 ${round}/${decodeRuns}`));
        return answer(v, 'beam-5');
      });
    } finally {
      encoded.forEach(disposeEncoded);
    }
    for (const [i, r] of running.entries()) {
      enter(r.variant);
      if (options.profile !== false) {
        phase(named(r.variant, 'profile: train step'));
        const trainStep = await profileTrainStep(network, r.params, batch);
        phase(named(r.variant, 'profile: greedy token'));
        profiles[i] = { trainStep, greedyToken: await profileGreedyToken(network, r.params, batch, DECODE_TOKENS) };
        if (options.floor !== false && trainStep.matmuls) {
          phase(named(r.variant, "floor: the step's matmuls alone"));
          floors[i] = await measureFloor(trainStep.matmuls);
        }
      }
    }
  } finally {
    for (const r of running) {
      await r.training.finish();
      disposeParams(r.params);
    }
    tf.dispose([one.srcIds, one.srcExtIds, one.srcMask]);
  }

  const ours = tf.memory(); // before the baselines: tf.layers keeps tensors of its own
  const rows: BenchRow[] = [];
  for (const [i, v] of variants.entries()) {
    enter(v);
    const baseline = v.baseline
      ? await timeBaseline(network, batch, runs, (name) => phase(named(v, name)), options.profile !== false)
      : null;
    const stockBaseline =
      v.baseline && options.stockBaseline ? await timeStockBaseline(network, batch, runs, phase) : null;
    const stepMs = running[i]!.steps.map((s) => s.stepMs);
    const floor = floors[i]!;
    rows.push({
      preset,
      backend: v.label,
      parameters: countParams(network),
      trainStepMs: median(stepMs),
      tokensPerSecond: median(running[i]!.steps.map((s) => s.tokensPerSecond)),
      greedyMsPerToken: median(greedy[i]!) / DECODE_TOKENS,
      beam5MsPerAnswer: median(beam[i]!),
      loadMs: median(loads[i]!),
      firstLoadMs: loads[i]![0]!,
      firstGreedyAnswerMs: firstAnswers[i]![0]!,
      spread: {
        trainStepMs: spreadOf(stepMs),
        greedyMsPerToken: spreadOf(greedy[i]!.map((ms) => ms / DECODE_TOKENS)),
        beam5MsPerAnswer: spreadOf(beam[i]!),
      },
      alternatedWith: variants.filter((other) => other !== v).map((other) => other.label),
      floorMs: floor ? floor.floorMs : null,
      floor,
      tensorsBefore,
      tensorsAfter: ours.numTensors,
      bytesAfter: ours.numBytes,
      baseline,
      stockBaseline,
      profile: profiles[i],
      ...(options.environment ? { environment: options.environment } : {}),
    });
  }
  phase('done');
  return rows;
}

/**
 * On SwiftShader, where the baseline runs on the project's direct matmul and reductions (like for
 * like): the same tf.layers.lstm model as stock tfjs runs it, which is what a user of tfjs gets.
 * Null elsewhere.
 */
async function timeStockBaseline(
  network: NetworkConfig,
  batch: HostBatch,
  runs: number,
  phase: (name: string) => void,
): Promise<BenchRow['stockBaseline']> {
  if (!kernelGroupOn('swiftshader-matmul')) return null;
  const direct: KernelGroup[] = ['swiftshader-matmul', 'swiftshader-reduce', 'swiftshader-pack'];
  for (const group of direct) setKernelGroup(group, false);
  try {
    const stock = await timeBaseline(network, batch, runs, (name) => phase(`stock kernels: ${name}`), false);
    return { trainStepMs: stock.trainStepMs, greedyMsPerToken: stock.greedyMsPerToken };
  } finally {
    for (const group of direct) setKernelGroup(group, true);
  }
}

/** One row: `preset` on the backend tfjs runs now, labelled `backendLabel`, nothing to alternate with. */
export async function benchRow(
  preset: ModelPresetName,
  backendLabel: string,
  runs: number,
  withBaseline: boolean,
  options: BenchOptions = {},
): Promise<BenchRow> {
  return (await benchRows(preset, [{ label: backendLabel, baseline: withBaseline }], runs, options))[0]!;
}
