// The fused LSTM cell off WebGPU: on cpu and wasm fusedLstmGates and lstmStep must give exactly what
// the reference plain ops give, forward and backward, whether the fused cell is switched on or off,
// and leave no tensors behind. (The WebGPU program itself is checked in the browser:
// e2e/webgpu-lstm.spec.ts with src/kernel-check.)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers the gradients (tfjs-core alone registers none)
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lstmGates, lstmStep, lstmStepReference } from '../../src/model/lstm-cell';
import { fusedLstmCellEnabled, fusedLstmGates, setFusedLstmCell } from '../../src/platform/kernels/webgpu-lstm';
import { uniformStream } from '../../src/model/random';

/** Seeded inputs, so a failure reproduces. */
const rng = uniformStream;
const uniform = (r: () => number, shape: number[], scale: number) =>
  tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() * 2 - 1) * scale), shape);

type GatesFn = (z: tf.Tensor2D, c: tf.Tensor2D) => { h: tf.Tensor2D; c: tf.Tensor2D };
type StepFn = typeof lstmStep;

/** h', c' and the gradients dz, dc of a weighted sum of both (so dh' and dc' are not all ones). */
function gatesAndGrads(gates: GatesFn, batch: number, hidden: number, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const r = rng(seed);
    const z = uniform(r, [batch, 4 * hidden], 4) as tf.Tensor2D;
    const c = uniform(r, [batch, hidden], 2) as tf.Tensor2D;
    const wh = uniform(r, [batch, hidden], 1);
    const wc = uniform(r, [batch, hidden], 1);
    const out = gates(z, c);
    const [dz, dc] = tf.grads((zz: tf.Tensor, cc: tf.Tensor) => {
      const s = gates(zz as tf.Tensor2D, cc as tf.Tensor2D);
      return tf.add(tf.sum(tf.mul(s.h, wh)), tf.sum(tf.mul(s.c, wc)));
    })([z, c]);
    return [out.h, out.c, dz, dc].map((t) => t.dataSync() as Float32Array);
  });
}

/** Three chained steps with a recurrent matMul: final state and the gradients of every input. */
function chainAndGrads(step: StepFn, batch: number, hidden: number, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const r = rng(seed);
    const xs = uniform(r, [3, batch, 4 * hidden], 1);
    const h0 = uniform(r, [batch, hidden], 1);
    const c0 = uniform(r, [batch, hidden], 1);
    const recurrent = uniform(r, [hidden, 4 * hidden], 0.5);
    const w = uniform(r, [batch, hidden], 1);
    const run = (x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, u: tf.Tensor) => {
      let state = { h: h as tf.Tensor2D, c: c as tf.Tensor2D };
      for (const xt of tf.unstack(x)) state = step(xt as tf.Tensor2D, state.h, state.c, u);
      return state;
    };
    const final = run(xs, h0, c0, recurrent);
    const grads = tf.grads((x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, u: tf.Tensor) => {
      const s = run(x, h, c, u);
      return tf.add(tf.sum(tf.mul(s.h, w)), tf.sum(s.c));
    })([xs, h0, c0, recurrent]);
    return [final.h, final.c, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

function expectSame(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.length).toBe(expected[i].length);
    expect(Array.from(a)).toEqual(Array.from(expected[i]));
  });
}

afterEach(() => setFusedLstmCell(true));

beforeAll(() => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`on ${backend} (no WebGPU: the fallback)`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    it('fusedLstmGates equals the reference gates, forward and gradients, switched on or off', () => {
      expect(fusedLstmCellEnabled()).toBe(true);
      for (const [batch, hidden, seed] of [[3, 8, 1], [5, 16, 2]]) {
        const expected = gatesAndGrads(lstmGates, batch, hidden, seed);
        expectSame(gatesAndGrads(fusedLstmGates, batch, hidden, seed), expected);
        setFusedLstmCell(false);
        expectSame(gatesAndGrads(fusedLstmGates, batch, hidden, seed), expected);
        setFusedLstmCell(true);
      }
    });

    it('lstmStep equals lstmStepReference through three chained steps, values and gradients', () => {
      const expected = chainAndGrads(lstmStepReference, 3, 8, 3);
      expect(expected.every((a) => a.every(Number.isFinite))).toBe(true);
      expect(expected[2].some((v) => v !== 0)).toBe(true); // the gradients reach the inputs
      expectSame(chainAndGrads(lstmStep, 3, 8, 3), expected);
    });

    it('leaves no tensors behind', () => {
      gatesAndGrads(fusedLstmGates, 3, 8, 4); // first run: tfjs may keep one-off tensors
      chainAndGrads(lstmStep, 2, 4, 5);
      const before = tf.memory().numTensors;
      gatesAndGrads(fusedLstmGates, 3, 8, 4);
      chainAndGrads(lstmStep, 2, 4, 5);
      const kept = tf.tidy(() => {
        const s = fusedLstmGates(tf.zeros([2, 16]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D);
        return [s.h, s.c];
      });
      expect(tf.memory().numTensors).toBe(before + 2);
      tf.dispose(kept);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('refuses z and c that do not fit together', () => {
      tf.tidy(() => {
        expect(() => fusedLstmGates(tf.zeros([2, 12]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(/want \[B, 4H\]/);
        expect(() => fusedLstmGates(tf.zeros([3, 16]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(/want \[B, 4H\]/);
      });
    });
  });
}
