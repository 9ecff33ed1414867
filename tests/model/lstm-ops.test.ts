// The LSTM cell's ops (src/model/net/lstm-ops.ts) off WebGPU: on cpu and wasm, with no kernel
// registered, lstmGatesOp and lstmStep must give exactly what the reference plain ops give, forward
// and backward, and leave no tensors behind; with a kernel registered for the backend (a plain
// JavaScript one here, on cpu) they run it, with the model's gradient, until it is unregistered.
// (The WebGPU kernels themselves are checked in the browser: e2e/webgpu-lstm.spec.ts with
// dev/kernel-check.)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers the gradients (tfjs-core alone registers none)
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmStep, lstmStepReference } from '../../src/model/net/lstm-cell';
import {
  FUSED_LSTM_GATES,
  FUSED_LSTM_GATES_GRAD,
  lstmGates,
  lstmGatesKernelAvailable,
  lstmGatesOp,
} from '../../src/model/net/lstm-ops';
import { uniformStream } from '../../src/model/net/random';

/** Seeded inputs, so a failure reproduces. */
const rng = uniformStream;
const uniform = (r: () => number, shape: number[], scale: number) =>
  tf.tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() * 2 - 1) * scale),
    shape,
  );

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

beforeAll(() => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`on ${backend} (no WebGPU: the fallback)`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    it('lstmGatesOp equals the reference gates, forward and gradients, with no kernel registered', () => {
      expect(lstmGatesKernelAvailable()).toBe(false);
      for (const [batch, hidden, seed] of [
        [3, 8, 1],
        [5, 16, 2],
      ]) {
        expectSame(gatesAndGrads(lstmGatesOp, batch, hidden, seed), gatesAndGrads(lstmGates, batch, hidden, seed));
      }
    });

    it('lstmStep equals lstmStepReference through three chained steps, values and gradients', () => {
      const expected = chainAndGrads(lstmStepReference, 3, 8, 3);
      expect(expected.every((a) => a.every(Number.isFinite))).toBe(true);
      expect(expected[2].some((v) => v !== 0)).toBe(true); // the gradients reach the inputs
      expectSame(chainAndGrads(lstmStep, 3, 8, 3), expected);
    });

    it('leaves no tensors behind', () => {
      gatesAndGrads(lstmGatesOp, 3, 8, 4); // first run: tfjs may keep one-off tensors
      chainAndGrads(lstmStep, 2, 4, 5);
      const before = tf.memory().numTensors;
      gatesAndGrads(lstmGatesOp, 3, 8, 4);
      chainAndGrads(lstmStep, 2, 4, 5);
      const kept = tf.tidy(() => {
        const s = lstmGatesOp(tf.zeros([2, 16]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D);
        return [s.h, s.c];
      });
      expect(tf.memory().numTensors).toBe(before + 2);
      tf.dispose(kept);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('refuses z and c that do not fit together', () => {
      tf.tidy(() => {
        expect(() => lstmGatesOp(tf.zeros([2, 12]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(
          /want \[B, 4H\]/,
        );
        expect(() => lstmGatesOp(tf.zeros([3, 16]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(
          /want \[B, 4H\]/,
        );
      });
    });
  });
}

// A backend's kernels for the gates, in plain JavaScript on cpu: what the WebGPU programs compute.
type CpuBackend = {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
};
type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown };
const input = (args: Args, name: string) => args.inputs[name] as tf.TensorInfo;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
function cellValues(
  args: Args,
  each: (
    i: number,
    f: number,
    g: number,
    o: number,
    c: number,
    cNext: number,
    index: number,
    row: number,
    hidden: number,
  ) => void,
) {
  const backend = args.backend as CpuBackend;
  const z = backend.readSync(input(args, 'z').dataId);
  const c = backend.readSync(input(args, 'c').dataId);
  const [batch, hidden] = input(args, 'c').shape as [number, number];
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const row = b * 4 * hidden + j;
      const [i, f, g, o] = [
        sigmoid(z[row]!),
        sigmoid(z[row + hidden]!),
        Math.tanh(z[row + 2 * hidden]!),
        sigmoid(z[row + 3 * hidden]!),
      ];
      const index = b * hidden + j;
      each(i, f, g, o, c[index]!, f * c[index]! + i * g, index, row, hidden);
    }
  }
  return { backend, shape: input(args, 'c').shape };
}
let forwardCalls = 0;
const cpuGates: tf.KernelConfig = {
  kernelName: FUSED_LSTM_GATES,
  backendName: 'cpu',
  kernelFunc: (args) => {
    forwardCalls++;
    const size = input(args, 'c').shape[0]! * input(args, 'c').shape[1]!;
    const h = new Float32Array(size);
    const cNext = new Float32Array(size);
    const { backend, shape } = cellValues(args, (_i, _f, _g, o, _c, cn, index) => {
      h[index] = o * Math.tanh(cn);
      cNext[index] = cn;
    });
    return [backend.makeTensorInfo(shape, 'float32', h), backend.makeTensorInfo(shape, 'float32', cNext)];
  },
};
const cpuGatesGrad: tf.KernelConfig = {
  kernelName: FUSED_LSTM_GATES_GRAD,
  backendName: 'cpu',
  kernelFunc: (args) => {
    const backend = args.backend as CpuBackend;
    const dh = backend.readSync(input(args, 'dh').dataId);
    const dc = backend.readSync(input(args, 'dc').dataId);
    const wrt = (args.attrs as { wrt: 'z' | 'c' }).wrt;
    const dz = new Float32Array(input(args, 'z').shape[0]! * input(args, 'z').shape[1]!);
    const dcPrev = new Float32Array(dh.length);
    const { shape } = cellValues(args, (i, f, g, o, c, cn, index, row, hidden) => {
      const tanhC = Math.tanh(cn);
      const dcTotal = dc[index]! + dh[index]! * o * (1 - tanhC * tanhC);
      dz[row] = dcTotal * g * i * (1 - i);
      dz[row + hidden] = dcTotal * c * f * (1 - f);
      dz[row + 2 * hidden] = dcTotal * i * (1 - g * g);
      dz[row + 3 * hidden] = dh[index]! * tanhC * o * (1 - o);
      dcPrev[index] = dcTotal * f;
    });
    return wrt === 'z'
      ? backend.makeTensorInfo(input(args, 'z').shape, 'float32', dz)
      : backend.makeTensorInfo(shape, 'float32', dcPrev);
  },
};

describe('a kernel registered for the backend', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
  });

  it("runs lstmGatesOp and lstmStep, with the model's gradient, until it is unregistered", () => {
    const close = (actual: Float32Array[], expected: Float32Array[]) =>
      actual.forEach((a, k) => a.forEach((v, n) => expect(v).toBeCloseTo(expected[k]![n]!, 5)));
    const expected = gatesAndGrads(lstmGates, 3, 8, 6);
    const expectedChain = chainAndGrads(lstmStepReference, 3, 8, 7);
    tf.registerKernel(cpuGates);
    tf.registerKernel(cpuGatesGrad);
    try {
      expect(lstmGatesKernelAvailable()).toBe(true);
      forwardCalls = 0;
      close(gatesAndGrads(lstmGatesOp, 3, 8, 6), expected);
      expect(forwardCalls).toBeGreaterThan(0);
      close(chainAndGrads(lstmStep, 3, 8, 7), expectedChain);
    } finally {
      tf.unregisterKernel(FUSED_LSTM_GATES, 'cpu');
      tf.unregisterKernel(FUSED_LSTM_GATES_GRAD, 'cpu');
    }
    expect(lstmGatesKernelAvailable()).toBe(false);
    forwardCalls = 0;
    expectSame(gatesAndGrads(lstmGatesOp, 3, 8, 6), expected);
    expect(forwardCalls).toBe(0);
  });
});
