// The fused LSTM cell against the reference plain ops, on whatever backend tfjs runs: values and
// gradients on random inputs, step timings and dispatch counts. Used by the kernel-check page.
import * as tf from '@tensorflow/tfjs-core';
import { lstmStep, lstmStepReference, lstmGates, lstmGatesOp, uniformStream } from '../../src/model/internals';

/** Seeded inputs, so a failure reproduces. */
const rng = uniformStream;

export function uniform(r: () => number, shape: number[], scale: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => (r() * 2 - 1) * scale),
    shape,
  );
}

type Gates = (z: tf.Tensor2D, c: tf.Tensor2D) => { h: tf.Tensor2D; c: tf.Tensor2D };
type Step = typeof lstmStep;

/** Largest |a − b| / max(1, |b|): absolute for small values, relative for large ones. */
export function maxError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let k = 0; k < actual.length; k++) {
    const err = Math.abs(actual[k] - expected[k]) / Math.max(1, Math.abs(expected[k]));
    if (!(err <= worst)) worst = err; // NaN counts as worst
  }
  return worst;
}

export async function compareOutputs(
  names: string[],
  build: (fused: boolean) => tf.Tensor[],
): Promise<Record<string, number>> {
  const fused = build(true);
  const reference = build(false);
  const errors: Record<string, number> = {};
  for (let k = 0; k < names.length; k++) {
    const [a, e] = await Promise.all([fused[k].data(), reference[k].data()]);
    errors[names[k]] = maxError(a as Float32Array, e as Float32Array);
  }
  tf.dispose([...fused, ...reference]);
  return errors;
}

/**
 * The gates alone: h', c' and the gradients dz, dc of a weighted sum of h' and c', and of h' alone
 * (then the tape feeds zeros for dc', as for the last step of a sequence).
 */
export async function checkGates(batch: number, hidden: number, seed: number): Promise<Record<string, number>> {
  const r = rng(seed);
  // z spans ±6 so some gates saturate; dh', dc' are random weights rather than all ones.
  const inputs = [
    uniform(r, [batch, 4 * hidden], 6),
    uniform(r, [batch, hidden], 3),
    uniform(r, [batch, hidden], 1),
    uniform(r, [batch, hidden], 1),
  ];
  const [z, c, wh, wc] = inputs as tf.Tensor2D[];
  const errors = await compareOutputs(['h', 'c', 'dz', 'dc', 'dz(h only)', 'dc(h only)'], (fused) =>
    tf.tidy(() => {
      const gates: Gates = fused ? lstmGatesOp : lstmGates;
      const out = gates(z, c);
      const grads = tf.grads((zz: tf.Tensor, cc: tf.Tensor) => {
        const s = gates(zz as tf.Tensor2D, cc as tf.Tensor2D);
        return tf.add(tf.sum(tf.mul(s.h, wh)), tf.sum(tf.mul(s.c, wc)));
      })([z, c]);
      const gradsOfH = tf.grads((zz: tf.Tensor, cc: tf.Tensor) =>
        tf.sum(tf.mul(gates(zz as tf.Tensor2D, cc as tf.Tensor2D).h, wh)),
      )([z, c]);
      return [out.h, out.c, ...grads, ...gradsOfH];
    }),
  );
  tf.dispose(inputs);
  return errors;
}

function runSteps(step: Step, xs: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, recurrent: tf.Tensor) {
  let state = { h: h0 as tf.Tensor2D, c: c0 as tf.Tensor2D };
  for (const x of tf.unstack(xs)) state = step(x as tf.Tensor2D, state.h, state.c, recurrent);
  return state;
}

/** `steps` chained lstmStep calls (recurrent matMul included): final state and every input's gradient. */
export async function checkChain(
  batch: number,
  hidden: number,
  steps: number,
  seed: number,
): Promise<Record<string, number>> {
  const r = rng(seed);
  const inputs = [
    uniform(r, [steps, batch, 4 * hidden], 1),
    uniform(r, [batch, hidden], 1),
    uniform(r, [batch, hidden], 1),
    uniform(r, [hidden, 4 * hidden], 1 / Math.sqrt(hidden)),
    uniform(r, [batch, hidden], 1),
  ];
  const [xs, h0, c0, recurrent, w] = inputs;
  const errors = await compareOutputs(['h', 'c', 'dx', 'dh0', 'dc0', 'dRecurrent'], (fused) =>
    tf.tidy(() => {
      const step = fused ? lstmStep : lstmStepReference;
      const final = runSteps(step, xs, h0, c0, recurrent);
      const grads = tf.grads((x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, u: tf.Tensor) => {
        const s = runSteps(step, x, h, c, u);
        return tf.add(tf.sum(tf.mul(s.h, w)), tf.sum(s.c));
      })([xs, h0, c0, recurrent]);
      return [final.h, final.c, ...grads];
    }),
  );
  tf.dispose(inputs);
  return errors;
}

/** What one call costs: median milliseconds and programs dispatched. */
export interface Cost {
  forwardMs: number;
  forwardBackwardMs: number;
  forwardDispatches: number | null;
  forwardBackwardDispatches: number | null;
}

export interface CostComparison {
  fused: Cost;
  reference: Cost;
  /** fused time / reference time: below 1 means the fused cell is faster. */
  forwardRatio: number;
  forwardBackwardRatio: number;
}

interface CountingBackend {
  runWebGPUProgram: (...args: unknown[]) => unknown;
}

/**
 * Runs `body` and counts the programs it dispatches on WebGPU (null elsewhere), by wrapping the
 * backend's runWebGPUProgram, through which every WebGPU kernel runs its shaders.
 */
async function countDispatches(body: () => Promise<void>): Promise<number | null> {
  if (tf.getBackend() !== 'webgpu') {
    await body();
    return null;
  }
  const backend = tf.backend() as unknown as CountingBackend;
  const original = backend.runWebGPUProgram;
  let count = 0;
  backend.runWebGPUProgram = (...args: unknown[]) => {
    count++;
    return original.apply(backend, args);
  };
  try {
    await body();
  } finally {
    backend.runWebGPUProgram = original;
  }
  return count;
}

async function timed(body: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await body();
  return performance.now() - start;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A cell under test: some inputs → new state. */
type Cell = (...inputs: tf.Tensor2D[]) => { h: tf.Tensor2D; c: tf.Tensor2D };

/**
 * `fused` against `reference` on random inputs of `shapes`: forward, and forward + backward (the
 * gradients of every input), median of `repeats` runs after `warmup`, each awaiting a read of the
 * result (one read waits for everything submitted before it: the GPU queue runs in order). The two
 * cells take turns, so a load that changes during the run slows both alike.
 */
export async function compareCost(
  fused: Cell,
  reference: Cell,
  shapes: number[][],
  warmup: number,
  repeats: number,
): Promise<CostComparison> {
  const r = rng(7);
  const inputs = shapes.map((shape) => uniform(r, shape, 1 / Math.sqrt(shape[0])) as tf.Tensor2D);
  const forward = (cell: Cell) => async () => {
    const out = cell(...inputs);
    await out.c.data();
    tf.dispose([out.h, out.c]);
  };
  const forwardBackward = (cell: Cell) => async () => {
    const grads = tf.grads((...xs: tf.Tensor[]) => {
      const s = cell(...(xs as tf.Tensor2D[]));
      return tf.add(tf.sum(s.h), tf.sum(s.c));
    })(inputs);
    await grads[grads.length - 1].data();
    tf.dispose(grads);
  };
  const cells = [fused, reference];
  for (let k = 0; k < warmup; k++) {
    for (const cell of cells) {
      await forward(cell)();
      await forwardBackward(cell)();
    }
  }
  const costs: Cost[] = [];
  for (const cell of cells) {
    costs.push({
      forwardMs: 0,
      forwardBackwardMs: 0,
      forwardDispatches: await countDispatches(forward(cell)),
      forwardBackwardDispatches: await countDispatches(forwardBackward(cell)),
    });
  }
  const times = cells.map(() => ({ forward: [] as number[], forwardBackward: [] as number[] }));
  for (let k = 0; k < repeats; k++) {
    for (let n = 0; n < cells.length; n++) times[n].forward.push(await timed(forward(cells[n])));
    for (let n = 0; n < cells.length; n++) times[n].forwardBackward.push(await timed(forwardBackward(cells[n])));
  }
  costs.forEach((cost, n) => {
    cost.forwardMs = median(times[n].forward);
    cost.forwardBackwardMs = median(times[n].forwardBackward);
  });
  tf.dispose(inputs);
  const [f, ref] = costs;
  return {
    fused: f,
    reference: ref,
    forwardRatio: f.forwardMs / ref.forwardMs,
    forwardBackwardRatio: f.forwardBackwardMs / ref.forwardBackwardMs,
  };
}
