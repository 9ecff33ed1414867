// What limits a bench figure (docs/design.md#performance): per training step and per greedy token, the
// kernels tfjs runs, the GPU programs dispatched (WebGPU), the reads back to the CPU and their
// bytes, and the time the backend's own timer gives the kernels, with the share in matrix
// multiplies. Realm-neutral like bench-core.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { NetworkConfig } from '../model';
import { greedyDecode, disposeEncoded, encode, type Params } from '../model/internals';
import type { HostBatch } from '../data/host-batch';
import { train } from '../train/loop';
import type { MatmulShape, WorkProfile } from './bench-table';

/** Kernels whose time counts as matrix multiply. */
const MATMUL_KERNELS = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);

interface Counters {
  dispatches: number;
  readbacks: number;
  bytesReadBack: number;
}

interface HookableBackend {
  runWebGPUProgram?: (...args: unknown[]) => unknown;
  read: (dataId: object) => Promise<unknown>;
  readSync: (dataId: object) => unknown;
}

const byteLength = (values: unknown) =>
  ArrayBuffer.isView(values) ? values.byteLength : Array.isArray(values) ? values.length * 4 : 0;

/**
 * Counts, while `body` runs and `counting()` is true, the backend's reads to the CPU (and their
 * bytes) and, on WebGPU, the programs dispatched: every WebGPU kernel runs through runWebGPUProgram.
 */
async function withCounters(body: (counters: Counters) => Promise<void>, counting: () => boolean): Promise<Counters> {
  const counters: Counters = { dispatches: 0, readbacks: 0, bytesReadBack: 0 };
  const backend = tf.backend() as unknown as HookableBackend;
  const { runWebGPUProgram, read, readSync } = backend;
  if (runWebGPUProgram) {
    backend.runWebGPUProgram = (...args: unknown[]) => {
      if (counting()) counters.dispatches++;
      return runWebGPUProgram.apply(backend, args);
    };
  }
  backend.read = async (dataId) => {
    const values = await read.call(backend, dataId);
    if (counting()) {
      counters.readbacks++;
      counters.bytesReadBack += byteLength(values);
    }
    return values;
  };
  backend.readSync = (dataId) => {
    const values = readSync.call(backend, dataId);
    if (counting()) {
      counters.readbacks++;
      counters.bytesReadBack += byteLength(values);
    }
    return values;
  };
  try {
    await body(counters);
  } finally {
    if (runWebGPUProgram) backend.runWebGPUProgram = runWebGPUProgram;
    backend.read = read;
    backend.readSync = readSync;
  }
  return counters;
}

interface ProfiledKernel {
  name: string;
  kernelTimeMs: number | { error: string } | null;
  /** One per input; null for an optional input that was not given (a matmul's bias). */
  inputShapes?: Array<number[] | null>;
  outputShapes?: number[][];
}

/** Runs `body` under tf.profile and keeps the kernels from `from()` (an index taken mid-run) on. */
async function profileKernels(body: (markStart: () => void) => Promise<void>): Promise<ProfiledKernel[]> {
  const engine = tf.engine() as unknown as { state: { activeProfile: { kernels: ProfiledKernel[] } } };
  const checking = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false); // it would read every kernel's output back
  let start = 0;
  try {
    const info = await tf.profile(async () => {
      await body(() => {
        start = engine.state.activeProfile.kernels.length;
      });
      return [];
    });
    return (info.kernels as unknown as ProfiledKernel[]).slice(start);
  } finally {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', checking);
  }
}

function summarize(kernels: ProfiledKernel[], counters: Counters, units: number, wallMs: number): WorkProfile {
  const times = kernels.map((k) => (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : null));
  const timed = times.every((t) => t !== null) && times.some((t) => (t ?? 0) > 0);
  const byName = new Map<string, { ms: number; count: number }>();
  kernels.forEach((k, i) => {
    const entry = byName.get(k.name) ?? { ms: 0, count: 0 };
    entry.ms += times[i] ?? 0;
    entry.count++;
    byName.set(k.name, entry);
  });
  const total = times.reduce<number>((sum, t) => sum + (t ?? 0), 0);
  const matmul = kernels.reduce((sum, k, i) => sum + (MATMUL_KERNELS.has(k.name) ? (times[i] ?? 0) : 0), 0);
  const top = [...byName.entries()]
    .sort((a, b) => (timed ? b[1].ms - a[1].ms : b[1].count - a[1].count))
    .slice(0, 5)
    .map(([name, e]) => ({ name, ms: timed ? e.ms / units : null, count: e.count / units }));
  return {
    heaviest: timed ? heaviestByShape(kernels, times, units) : [],
    matmuls: matmulShapes(kernels, units),
    kernels: kernels.length / units,
    dispatches: tf.getBackend() === 'webgpu' ? counters.dispatches / units : null,
    readbacks: counters.readbacks / units,
    bytesReadBack: counters.bytesReadBack / units,
    wallMs: wallMs / units,
    kernelMs: timed ? total / units : null,
    matmulMs: timed ? matmul / units : null,
    top,
  };
}

/** The matmuls run, grouped by their operands' and product's shapes, with their count per unit. */
export function matmulShapes(kernels: ProfiledKernel[], units: number): MatmulShape[] {
  const byShape = new Map<string, MatmulShape>();
  for (const k of kernels) {
    const [a, b] = k.inputShapes ?? [];
    const out = k.outputShapes?.[0];
    if (!MATMUL_KERNELS.has(k.name) || !a || !b || !out) continue;
    const key = JSON.stringify([a, b, out]);
    const entry = byShape.get(key) ?? { a, b, out, count: 0 };
    entry.count += 1 / units;
    byShape.set(key, entry);
  }
  return [...byShape.values()];
}

/** "[32,128] [32,1]", with a run of equal shapes as "60 × [32,512]" (a Pack of 60 steps). */
export function describeShapes(shapes: number[][]): string {
  const runs: Array<{ shape: string; count: number }> = [];
  for (const s of shapes.map((d) => `[${d.join(',')}]`)) {
    const last = runs[runs.length - 1];
    if (last && last.shape === s) last.count++;
    else runs.push({ shape: s, count: 1 });
  }
  return runs.map((r) => (r.count > 2 ? `${r.count} × ${r.shape}` : Array(r.count).fill(r.shape).join(' '))).join(' ');
}

/** The (kernel, input shapes) pairs that took longest: which multiplies, not only that it is matmul. */
function heaviestByShape(
  kernels: ProfiledKernel[],
  times: Array<number | null>,
  units: number,
): WorkProfile['heaviest'] {
  const byShape = new Map<string, { name: string; shapes: string; ms: number; count: number }>();
  kernels.forEach((k, i) => {
    const shapes = describeShapes((k.inputShapes ?? []).filter((s) => s !== null));
    const key = `${k.name} ${shapes}`;
    const entry = byShape.get(key) ?? { name: k.name, shapes, ms: 0, count: 0 };
    entry.ms += times[i] ?? 0;
    entry.count++;
    byShape.set(key, entry);
  });
  return [...byShape.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8)
    .map((e) => ({ ...e, ms: e.ms / units, count: e.count / units }));
}

/**
 * One training step of the real loop (after a warm-up step, which also builds Adam's slots):
 * counted in one run, kernels timed by tf.profile in another (its per-kernel timing slows the step).
 */
export async function profileTrainStep(
  network: NetworkConfig,
  params: Parameters<typeof train>[0]['params'],
  batch: HostBatch,
): Promise<WorkProfile> {
  const run = async (afterFirstStep: () => void) => {
    await train({
      network,
      params,
      data: { batchesPerEpoch: () => 1, batch: () => batch },
      settings: {
        epochs: 2,
        learningRate: 1e-4,
        gradientClipNorm: 1,
        earlyStoppingPatience: 0,
        evalIntervalSteps: 0,
        checkpointIntervalSteps: 0,
        seed: 1,
      },
      evaluate: async () => ({ valLoss: 0, valTokenAccuracy: 0, scores: {} }),
      callbacks: { onStep: (step) => step.step === 1 && afterFirstStep() },
    });
  };
  let counting = false;
  let started = 0;
  let wallMs = 0;
  const counters = await withCounters(
    async () => {
      await run(() => {
        counting = true;
        started = performance.now();
      });
      wallMs = performance.now() - started;
    },
    () => counting,
  );
  const kernels = await profileKernels((markStart) => run(markStart));
  return summarize(kernels, counters, 1, wallMs);
}

/** Any warmed-up piece of work (a greedy decode, the tf.layers baseline's train step), counted once and profiled once, per unit. */
export async function profileWork(work: () => Promise<unknown>, units = 1): Promise<WorkProfile> {
  let counting = false;
  let wallMs = 0;
  const counters = await withCounters(
    async () => {
      counting = true;
      const t0 = performance.now();
      await work();
      wallMs = performance.now() - t0;
      counting = false;
    },
    () => counting,
  );
  const kernels = await profileKernels(async (markStart) => {
    markStart();
    await work();
  });
  return summarize(kernels, counters, units, wallMs);
}

/** Greedy decoding of `tokens` tokens from one source (after a warm-up run), per token. */
export async function profileGreedyToken(
  network: NetworkConfig,
  params: Params,
  batch: HostBatch,
  tokens: number,
): Promise<WorkProfile> {
  const one = tf.tidy(() => ({
    srcIds: tf.tensor2d(batch.srcIds.slice(0, batch.sourceLength), [1, batch.sourceLength], 'int32'),
    srcExtIds: tf.tensor2d(batch.srcExtIds.slice(0, batch.sourceLength), [1, batch.sourceLength], 'int32'),
    srcMask: tf.ones([1, batch.sourceLength]) as tf.Tensor2D,
  }));
  const enc = encode(network, params, { ...one, numOovs: 0 });
  try {
    const decode = () => greedyDecode(params, enc, { maxLen: tokens, minLength: tokens });
    await decode(); // warm-up
    return await profileWork(decode, tokens);
  } finally {
    disposeEncoded(enc);
    tf.dispose([one.srcIds, one.srcExtIds, one.srcMask]);
  }
}
