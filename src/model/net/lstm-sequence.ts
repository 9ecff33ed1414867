// A whole masked encoder layer (one direction) as one op with its own gradient, built on the
// masked step's kernels (lstm-ops.ts): used where the backend has them (today WebGPU).
//
// Step by step under the tape, each step's backward multiplies hᵀ·dz for the recurrent weights'
// gradient and adds it to the sum of the steps before: at seed size 60 small multiplies and 60 adds
// per layer and direction, and the input projection's gradient comes back as a Pack of 60 pieces.
// Here the backward loop keeps only what must be sequential (dz of each step and dh through
// recurrent·dzᵀ, one fused multiply-add with the carried dh as its bias), and the recurrent
// weights' gradient is one multiply over all steps: Hprevᵀ [H, T·B] · dZ [T·B, 4H]. The forward is
// the same ops as the step-by-step path (fused pre-activations, MaskedLstmGates), so the values
// are the same; the gradient sums the steps in another order, so it matches the reference to
// rounding (kernel-check.html: the masked layer with the kernels registered and not).
//
// tf.customGrad returns one tensor: the op returns [T + 2, B, H], the outputs of the T steps in
// time order, then the final h and c.
import * as tf from '@tensorflow/tfjs-core';
import { MASKED_LSTM_GATES, MASKED_LSTM_GATES_GRAD, type MaskedLstmGatesGradAttrs } from './lstm-ops.js';

/**
 * proj [T, B, 4H] (x·W + b of every step), recurrent [H, 4H], keep [T, B, 1] (1 at a token, 0 at
 * padding) → [T + 2, B, H]: the outputs, the final h, the final c. Starts from a zero state;
 * `reverse` runs the steps T − 1 … 0. Only where maskedLstmGatesKernelAvailable() (the caller checks).
 */
export function maskedLstmSequence(
  proj: tf.Tensor3D,
  recurrent: tf.Tensor2D,
  keep: tf.Tensor3D,
  reverse: boolean,
): tf.Tensor3D {
  const [steps, batch, gates] = proj.shape;
  const hidden = gates / 4;
  const order = Array.from({ length: steps }, (_, k) => (reverse ? steps - 1 - k : k));
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [p, u, kp, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.GradSaveFunc];
    const projSteps = tf.unstack(p) as tf.Tensor2D[];
    const keepSteps = tf.unstack(kp) as tf.Tensor2D[];
    let h = tf.zeros([batch, hidden]) as tf.Tensor2D;
    let c = tf.zeros([batch, hidden]) as tf.Tensor2D;
    // Per step, in time order: z, and the state the step started from.
    const zs: tf.Tensor2D[] = new Array(steps);
    const cs: tf.Tensor2D[] = new Array(steps);
    const hs: tf.Tensor2D[] = new Array(steps);
    const outs: tf.Tensor2D[] = new Array(steps);
    for (const t of order) {
      const z = tf.fused.matMul({ a: h, b: u, bias: projSteps[t] }) as tf.Tensor2D;
      const [hNext, cNext, out] = tf
        .engine()
        .runKernel(MASKED_LSTM_GATES, { z, c, h, keep: keepSteps[t]! }, {}) as tf.Tensor2D[];
      zs[t] = z;
      cs[t] = c;
      hs[t] = h;
      outs[t] = out!;
      h = hNext!;
      c = cNext!;
    }
    save([...zs, ...cs, ...hs, ...keepSteps]);
    const value = tf.stack([...outs, h, c]) as tf.Tensor3D;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const at = (part: number, t: number) => saved[part * steps + t] as tf.Tensor2D;
      const dys = tf.unstack(dy) as tf.Tensor2D[];
      let dh = dys[steps]!;
      let dc = dys[steps + 1]!;
      const dzs: tf.Tensor2D[] = new Array(steps);
      for (const t of [...order].reverse()) {
        const inputs = { z: at(0, t), c: at(1, t), keep: at(3, t), dh, dc, dout: dys[t]! };
        const grad = (wrt: MaskedLstmGatesGradAttrs['wrt']) =>
          tf.engine().runKernel(MASKED_LSTM_GATES_GRAD, inputs, { wrt }) as tf.Tensor2D;
        const dz = grad('z');
        dc = grad('c');
        // h reached this step's z through recurrent and the next state through the mask's carry.
        dh = tf.fused.matMul({ a: dz, b: u, transposeB: true, bias: grad('h') }) as tf.Tensor2D;
        dzs[t] = dz;
      }
      const dZ = tf.stack(dzs) as tf.Tensor3D; // [T, B, 4H]
      const hPrev = tf.reshape(tf.stack(Array.from({ length: steps }, (_, t) => at(2, t))), [steps * batch, hidden]); // time order, as dZ
      const dU = tf.matMul(hPrev, tf.reshape(dZ, [steps * batch, gates]), true, false);
      return [dZ, dU, tf.zerosLike(kp)];
    };
    return { value, gradFunc };
  });
  return run(proj, recurrent, keep) as tf.Tensor3D;
}
