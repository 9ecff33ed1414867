// The encoder's masked LSTM step fused on WebGPU (webgpu-lstm-masked.ts) against the reference on
// plain ops: one step's gates with a random mask, and a whole masked layer (runLstmTimeMajor,
// forward and reversed) with the LSTM kernels registered and unregistered; values and gradients.
// Used by kernel-check.
import * as tf from '@tensorflow/tfjs-core';
import {
  runLstmTimeMajor,
  lstmGates,
  maskedLstmGatesKernelAvailable,
  maskedLstmGatesOp,
  maskedLstmGatesReference,
  uniformStream,
} from '../../src/model/internals';
import { kernelGroupOn, setKernelGroup } from '../../src/platform/kernels/register';
import { compareOutputs, uniform } from './checks';

/** A [rows, cols] mask of 0s and 1s with both in it. */
function randomMask(r: () => number, rows: number, cols: number): tf.Tensor2D {
  const values = Float32Array.from({ length: rows * cols }, (_, k) => (k === 0 ? 1 : k === 1 ? 0 : r() < 0.7 ? 1 : 0));
  return tf.tensor2d(values, [rows, cols]);
}

/** One step: h_next, c_next, out and the gradients of a weighted sum of them w.r.t. z, c and h. */
export async function checkMaskedGates(batch: number, hidden: number, seed: number): Promise<Record<string, number>> {
  const r = uniformStream(seed);
  const inputs = [
    uniform(r, [batch, 4 * hidden], 6),
    uniform(r, [batch, hidden], 3),
    uniform(r, [batch, hidden], 1),
    randomMask(r, batch, 1),
    uniform(r, [batch, hidden], 1),
    uniform(r, [batch, hidden], 1),
    uniform(r, [batch, hidden], 1),
  ];
  const [z, c, h, keep, wh, wc, wo] = inputs as tf.Tensor2D[];
  const gates = (fused: boolean) => (zz: tf.Tensor2D, cc: tf.Tensor2D, hh: tf.Tensor2D) =>
    fused ? maskedLstmGatesOp(zz, cc, hh, keep) : maskedLstmGatesReference(zz, cc, hh, keep, lstmGates);
  const errors = await compareOutputs(['h', 'c', 'out', 'dz', 'dc', 'dh'], (fused) =>
    tf.tidy(() => {
      const out = gates(fused)(z, c, h);
      const grads = tf.grads((zz: tf.Tensor, cc: tf.Tensor, hh: tf.Tensor) => {
        const s = gates(fused)(zz as tf.Tensor2D, cc as tf.Tensor2D, hh as tf.Tensor2D);
        return tf.addN([tf.sum(tf.mul(s.h, wh)), tf.sum(tf.mul(s.c, wc)), tf.sum(tf.mul(s.out, wo))]);
      })([z, c, h]);
      return [out.h, out.c, out.out, ...grads];
    }),
  );
  tf.dispose(inputs);
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`masked B${batch} H${hidden} ${k}`, v]));
}

/** A masked layer of `steps` steps, both directions: outputs, final state, gradients of x and the recurrent weights. */
export async function checkMaskedLayer(
  batch: number,
  hidden: number,
  steps: number,
  seed: number,
): Promise<Record<string, number>> {
  const r = uniformStream(seed);
  const inDim = 5;
  const inputs = [
    uniform(r, [steps, batch, inDim], 1),
    randomMask(r, steps, batch),
    uniform(r, [inDim, 4 * hidden], 0.5),
    uniform(r, [hidden, 4 * hidden], 1 / Math.sqrt(hidden)),
    uniform(r, [4 * hidden], 0.1),
    uniform(r, [steps, batch, hidden], 1),
  ];
  const [x, mask, kernel, recurrent, bias, w] = inputs;
  const errors: Record<string, number> = {};
  // Registered on this backend (WebGPU): the comparison below is only one if switching takes.
  const registered = kernelGroupOn('webgpu-lstm');
  for (const reverse of [false, true]) {
    const layer = (xx: tf.Tensor, u: tf.Tensor) => {
      const out = runLstmTimeMajor(
        xx as tf.Tensor3D,
        mask as tf.Tensor2D,
        { kernel, recurrent: u, bias },
        undefined,
        reverse,
      );
      return { outputs: out.sequence, state: out.state };
    };
    const found = await compareOutputs(['outputs', 'h', 'c', 'dx', 'dRecurrent'], (fused) => {
      setKernelGroup('webgpu-lstm', fused);
      try {
        if (registered && maskedLstmGatesKernelAvailable() !== fused)
          throw new Error(`the webgpu-lstm kernels did not switch ${fused ? 'on' : 'off'}`);
        return tf.tidy(() => {
          const out = layer(x, recurrent);
          const grads = tf.grads((xx: tf.Tensor, u: tf.Tensor) => {
            const o = layer(xx, u);
            return tf.add(tf.sum(tf.mul(o.outputs, w)), tf.sum(tf.add(o.state.h, o.state.c)));
          })([x, recurrent]);
          return [out.outputs, out.state.h, out.state.c, ...grads];
        });
      } finally {
        setKernelGroup('webgpu-lstm', true);
      }
    });
    for (const [k, v] of Object.entries(found))
      errors[`masked layer${reverse ? ' reversed' : ''} T${steps} B${batch} H${hidden} ${k}`] = v;
  }
  tf.dispose(inputs);
  return errors;
}
