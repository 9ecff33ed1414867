// The LSTM ops' wasm kernels (src/platform/kernels/wasm-lstm.ts) against the model's reference on
// plain ops, on the same backend: the gates and the masked step, forward and backward, one step
// and whole layers, to the rounding of the activations; the padding rows exactly; the full bias
// of _FusedMatMul exactly; switching; no tensors left behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers the gradients (tfjs-core alone registers none)
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUSED_LSTM_GATES,
  FUSED_LSTM_GATES_GRAD,
  lstmGates,
  lstmGatesOp,
  MASKED_LSTM_GATES,
  MASKED_LSTM_GATES_GRAD,
  maskedLstmGatesKernelAvailable,
  maskedLstmGatesOp,
  maskedLstmGatesReference,
  runLstmTimeMajor,
  uniformStream,
} from '../../src/model/internals';
import {
  projectWasmKernelsEnabled,
  registerWasmKernels,
  setProjectWasmKernels,
  wasmLstmKernelsEnabled,
} from '../../src/platform/kernels/wasm-kernels';

/**
 * Relative difference allowed between kernel and reference: a few float32 roundings. XNNPACK's
 * sigmoid and tanh (the reference's) are not Math.exp's and Math.tanh's, and the gradients chain
 * a handful of products of them.
 */
const ROUNDING = 2e-6;

const uniform = (r: () => number, shape: number[], scale: number) =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() * 2 - 1) * scale),
    shape,
  );
/** keep [B, 1]: padding at every third row, tokens elsewhere. */
const keepOf = (batch: number) =>
  tf.tensor2d(
    Array.from({ length: batch }, (_, b) => (b % 3 === 1 ? 0 : 1)),
    [batch, 1],
  );

const lstmKernels = (on: boolean) => setProjectWasmKernels(true, { lstmGates: on });

/** `build`'s outputs as plain arrays, with the LSTM kernels on or off. */
function valuesWith(on: boolean, build: () => tf.Tensor[]): Float32Array[] {
  lstmKernels(on);
  try {
    return tf.tidy(() => build().map((t) => t.dataSync() as Float32Array));
  } finally {
    lstmKernels(true);
  }
}

function expectClose(actual: Float32Array[], expected: Float32Array[], tolerance = ROUNDING): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => {
    const e = expected[k]!;
    expect(a.length).toBe(e.length);
    a.forEach((v, n) => {
      if (!(Math.abs(v - e[n]!) <= tolerance * Math.max(1, Math.abs(e[n]!)))) {
        throw new Error(`output ${k} element ${n}: kernel ${v}, reference ${e[n]}`);
      }
    });
  });
}

/** The kernel names one run of `f` dispatches. */
async function kernelNames(f: () => tf.Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => tf.tidy(f));
  tf.dispose(info.result as tf.Tensor[]);
  return info.kernels.map((k) => k.name);
}

/** h', c' and dz, dc of a weighted sum of both (so dh' and dc' are not all ones). */
function gatesAndGrads(gates: typeof lstmGates, batch: number, hidden: number, seed: number): tf.Tensor[] {
  const r = uniformStream(seed);
  const z = uniform(r, [batch, 4 * hidden], 4) as tf.Tensor2D;
  const c = uniform(r, [batch, hidden], 2) as tf.Tensor2D;
  const wh = uniform(r, [batch, hidden], 1);
  const wc = uniform(r, [batch, hidden], 1);
  const out = gates(z, c);
  const grads = tf.grads((zz: tf.Tensor, cc: tf.Tensor) => {
    const s = gates(zz as tf.Tensor2D, cc as tf.Tensor2D);
    return tf.add(tf.sum(tf.mul(s.h, wh)), tf.sum(tf.mul(s.c, wc)));
  })([z, c]);
  return [out.h, out.c, ...grads];
}

/** The masked step's three outputs and the gradients of z, c and h. */
function maskedAndGrads(step: typeof maskedLstmGatesOp, batch: number, hidden: number, seed: number): tf.Tensor[] {
  const r = uniformStream(seed);
  const z = uniform(r, [batch, 4 * hidden], 4) as tf.Tensor2D;
  const c = uniform(r, [batch, hidden], 2) as tf.Tensor2D;
  const h = uniform(r, [batch, hidden], 1) as tf.Tensor2D;
  const w = [0, 1, 2].map(() => uniform(r, [batch, hidden], 1));
  const keep = keepOf(batch);
  const out = step(z, c, h, keep);
  const grads = tf.grads((zz: tf.Tensor, cc: tf.Tensor, hh: tf.Tensor) => {
    const s = step(zz as tf.Tensor2D, cc as tf.Tensor2D, hh as tf.Tensor2D, keep);
    return tf.addN([s.h, s.c, s.out].map((t, k) => tf.sum(tf.mul(t, w[k]!))));
  })([z, c, h]);
  return [out.h, out.c, out.out, ...grads];
}

/** A whole layer over a padded batch (the encoder's) or from a given state (the decoder's step by step). */
function layerAndGrads(masked: boolean, seed: number): tf.Tensor[] {
  const [steps, batch, input, hidden] = [5, 4, 6, 8];
  const r = uniformStream(seed);
  const x = uniform(r, [steps, batch, input], 1) as tf.Tensor3D;
  const kernel = uniform(r, [input, 4 * hidden], 0.5);
  const recurrent = uniform(r, [hidden, 4 * hidden], 0.5);
  const bias = uniform(r, [4 * hidden], 0.5);
  const h0 = uniform(r, [batch, hidden], 1) as tf.Tensor2D;
  const c0 = uniform(r, [batch, hidden], 1) as tf.Tensor2D;
  const lengths = [5, 2, 4, 1];
  const mask = tf.tensor2d(
    Array.from({ length: steps * batch }, (_, k) => (Math.floor(k / batch) < lengths[k % batch]! ? 1 : 0)),
    [steps, batch],
  );
  const weight = uniform(r, [steps, batch, hidden], 1);
  const run = (xx: tf.Tensor3D, w: { kernel: tf.Tensor; recurrent: tf.Tensor; bias: tf.Tensor }, reverse: boolean) =>
    masked
      ? runLstmTimeMajor(xx, mask, w, undefined, reverse)
      : runLstmTimeMajor(xx, null, w, { h: h0, c: c0 }, reverse);
  const loss = (xx: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor) => {
    const sums = [false, true].map((reverse) => {
      const out = run(xx as tf.Tensor3D, { kernel: k, recurrent: u, bias: b }, reverse);
      return tf.add(tf.sum(tf.mul(out.sequence, weight)), tf.sum(tf.add(out.state.h, out.state.c)));
    });
    return tf.add(sums[0]!, sums[1]!) as tf.Scalar;
  };
  const forward = run(x, { kernel, recurrent, bias }, true);
  return [forward.sequence, forward.state.h, forward.state.c, ...tf.grads(loss)([x, kernel, recurrent, bias])];
}

/** What lstm-ops.ts asks before it runs the gates as a kernel. */
const lstmGatesKernelAvailable = () =>
  [FUSED_LSTM_GATES, FUSED_LSTM_GATES_GRAD].every((name) => tf.getKernel(name, 'wasm') != null);
const wasmBackend = () => tf.engine().findBackend('wasm') as unknown as { numDataIds(): number };

beforeAll(async () => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  expect(await tf.setBackend('wasm')).toBe(true);
  registerWasmKernels();
});

describe('switching', () => {
  it('registers the kernels with the project ones, and takes them away with them or alone', () => {
    expect(lstmGatesKernelAvailable() && maskedLstmGatesKernelAvailable() && wasmLstmKernelsEnabled()).toBe(true);
    setProjectWasmKernels(true, { lstmGates: false });
    expect(lstmGatesKernelAvailable() || maskedLstmGatesKernelAvailable() || wasmLstmKernelsEnabled()).toBe(false);
    expect(projectWasmKernelsEnabled()).toBe(true);
    setProjectWasmKernels(false); // stock wasm: the reference on plain ops
    expect(lstmGatesKernelAvailable() || maskedLstmGatesKernelAvailable()).toBe(false);
    registerWasmKernels();
    expect(lstmGatesKernelAvailable() && maskedLstmGatesKernelAvailable()).toBe(true);
  });
});

describe('the gates', () => {
  it('run as one kernel forward and one per gradient', async () => {
    const names = await kernelNames(() => gatesAndGrads(lstmGatesOp, 3, 8, 1));
    expect(names.filter((n) => n === FUSED_LSTM_GATES).length).toBe(2); // the value, then under the tape
    expect(names.filter((n) => n === FUSED_LSTM_GATES_GRAD).length).toBe(2); // dz, dc
    expect(names).not.toContain('Sigmoid');
  });

  it('match the reference, forward and backward', () => {
    for (const [batch, hidden, seed] of [
      [3, 8, 1],
      [5, 16, 2],
      [1, 5, 3],
    ] as const) {
      const expected = valuesWith(false, () => gatesAndGrads(lstmGates, batch, hidden, seed));
      expect(expected[2]!.some((v) => v !== 0)).toBe(true);
      expectClose(
        valuesWith(true, () => gatesAndGrads(lstmGatesOp, batch, hidden, seed)),
        expected,
      );
    }
  });

  it('give dz and dc from fresh inputs, in either order, never from another pass', () => {
    const grads = (order: Array<'z' | 'c'>, seeds: number[]) =>
      tf.tidy(() => {
        const results = order.map((wrt, k) => {
          const r = uniformStream(seeds[k]!);
          const inputs = {
            z: uniform(r, [2, 24], 3),
            c: uniform(r, [2, 6], 1),
            dh: uniform(r, [2, 6], 1),
            dc: uniform(r, [2, 6], 1),
          };
          return tf.engine().runKernel(FUSED_LSTM_GATES_GRAD, inputs, { wrt }) as tf.Tensor;
        });
        return results.map((t) => t.dataSync() as Float32Array);
      });
    const [dz1] = grads(['z'], [1]);
    const [dc1] = grads(['c'], [1]);
    const [dc2] = grads(['c'], [2]);
    expectClose(grads(['z', 'c'], [1, 1]), [dz1!, dc1!], 0);
    expectClose(grads(['c', 'z'], [1, 1]), [dc1!, dz1!], 0);
    // Same shapes, other values: the second kernel must not take the first one's kept result.
    expectClose(grads(['z', 'c'], [1, 2]), [dz1!, dc2!], 0);
  });
});

describe('the masked step', () => {
  it('runs as one kernel forward and one per gradient', async () => {
    const names = await kernelNames(() => maskedAndGrads(maskedLstmGatesOp, 4, 8, 4));
    expect(names.filter((n) => n === MASKED_LSTM_GATES).length).toBe(2);
    expect(names.filter((n) => n === MASKED_LSTM_GATES_GRAD).length).toBe(3); // dz, dc, dh
    expect(names).not.toContain(FUSED_LSTM_GATES);
  });

  it('matches the reference, forward and backward, and carries padded rows exactly', () => {
    const reference = (z: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D, keep: tf.Tensor2D) =>
      maskedLstmGatesReference(z, c, h, keep);
    for (const [batch, hidden, seed] of [
      [4, 8, 4],
      [6, 16, 5],
    ] as const) {
      const expected = valuesWith(false, () => maskedAndGrads(reference, batch, hidden, seed));
      const actual = valuesWith(true, () => maskedAndGrads(maskedLstmGatesOp, batch, hidden, seed));
      expectClose(actual, expected);
      // Row 1 is padding: h and c pass through and the output is 0, values and gradients alike.
      const r = uniformStream(seed);
      const [, c, h] = valuesWith(true, () => [
        uniform(r, [batch, 4 * hidden], 4),
        uniform(r, [batch, hidden], 2),
        uniform(r, [batch, hidden], 1),
      ]);
      const row = (a: Float32Array) => Array.from(a.subarray(hidden, 2 * hidden));
      expect(row(actual[0]!)).toEqual(row(h!));
      expect(row(actual[1]!)).toEqual(row(c!));
      expect(row(actual[2]!).every((v) => v === 0)).toBe(true);
      expect(Array.from(actual[3]!.subarray(4 * hidden, 8 * hidden)).every((v) => v === 0)).toBe(true); // dz
    }
  });
});

describe('whole layers', () => {
  it.each([
    ['masked, from zeros (one op with its own gradient)', true],
    ['from a given state, step by step', false],
  ])('%s: values and the gradients of x and every weight match the reference', (_name, masked) => {
    const expected = valuesWith(false, () => layerAndGrads(masked, 6));
    expect(expected[4]!.some((v) => v !== 0)).toBe(true); // the gradients reach the weights
    // Sums over steps and rows of products of rounded gates: a little looser than one cell.
    expectClose(
      valuesWith(true, () => layerAndGrads(masked, 6)),
      expected,
      1e-5,
    );
  });
});

describe('_FusedMatMul with a bias of the product’s shape', () => {
  it('equals matMul then add exactly, broadcasting the bias along leading axes', () => {
    const r = uniformStream(7);
    const a = uniform(r, [5, 12], 1);
    const b = uniform(r, [12, 16], 1);
    const bT = uniform(r, [16, 12], 1);
    for (const bias of [uniform(r, [5, 16], 1), uniform(r, [1, 16], 1), uniform(r, [1, 1], 1)]) {
      for (const [w, transposeB] of [
        [b, false],
        [bT, true],
      ] as const) {
        const fused = tf.fused.matMul({ a, b: w, transposeB, bias });
        const plain = tf.add(tf.matMul(a, w, false, transposeB), bias);
        expect(Array.from(fused.dataSync())).toEqual(Array.from(plain.dataSync()));
        tf.dispose([fused, plain]);
      }
      bias.dispose();
    }
    tf.dispose([a, b, bT]);
  });
});

it('leaves no tensors and no backend data behind', () => {
  const run = () => {
    valuesWith(true, () => gatesAndGrads(lstmGatesOp, 3, 8, 8));
    valuesWith(true, () => maskedAndGrads(maskedLstmGatesOp, 4, 8, 9));
    valuesWith(true, () => layerAndGrads(true, 10));
    valuesWith(true, () => layerAndGrads(false, 11));
  };
  run(); // first run: tfjs may keep one-off tensors
  const [tensors, data] = [tf.memory().numTensors, wasmBackend().numDataIds()];
  run();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(wasmBackend().numDataIds()).toBe(data);
});
