// The LSTM cell.
//
// lstmGates and lstmStepReference are the reference implementation, on plain tfjs-core ops: the
// gates lstmStep runs are an op (lstm-ops.ts) that a backend may implement as one kernel (WebGPU's:
// src/platform/kernels/webgpu-lstm.ts, registered by the platform), and that kernel is tested
// against them, so they favour clarity over speed.
// The only optimisations are the standard one (the input projection of every time step is one big
// matMul, [T·B, in] × [in, 4H], done before the time loop, leaving one recurrent matMul per step)
// and a time-major layout inside the loop, so that cutting a tensor into steps or gates splits its
// leading axis (contiguous memory; cheap on every backend).
//
// Gate layout. The kernel [in, 4H], recurrent [H, 4H] and bias [4H] hold four blocks of H columns,
// in this order:
//   i  input gate      σ      how much of the candidate enters the cell
//   f  forget gate     σ      how much of the old cell survives   (bias initialised to 1)
//   g  candidate       tanh   the new content
//   o  output gate     σ      how much of the cell is exposed as h
//   c' = f ⊙ c + i ⊙ g
//   h' = o ⊙ tanh(c')
// (The same order as Keras and PyTorch, so weights can be moved between them block by block.)

import * as tf from '@tensorflow/tfjs-core';
import {
  lstmGates,
  lstmGatesKernelAvailable,
  lstmGatesOp,
  maskedLstmGatesKernelAvailable,
  maskedLstmGatesOp,
} from './lstm-ops.js';
import { maskedLstmSequence } from './lstm-sequence.js';

/** Weights of one LSTM layer in one direction. */
export interface LstmWeights {
  kernel: tf.Tensor; // [in, 4H] input projection, gate blocks i, f, g, o
  recurrent: tf.Tensor; // [H, 4H] hidden-to-hidden projection, same blocks
  bias: tf.Tensor; // [4H]
}

/** The recurrent state of one layer: hidden output h and cell c, both [B, H]. */
export interface LstmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * z = xProj + h·recurrent, a step's pre-activations. Where the backend runs the gates as a kernel
 * (WebGPU), one multiply that adds xProj as its bias (tf.fused.matMul: one program instead of two;
 * same sum, same value); elsewhere, and as the reference, a matMul then an add.
 */
function stepPreActivations(xProj: tf.Tensor2D, h: tf.Tensor2D, recurrent: tf.Tensor): tf.Tensor2D {
  if (lstmGatesKernelAvailable())
    return tf.fused.matMul({ a: h, b: recurrent as tf.Tensor2D, bias: xProj }) as tf.Tensor2D;
  return tf.add(xProj, tf.matMul(h, recurrent as tf.Tensor2D)) as tf.Tensor2D;
}

/**
 * One time step. `xProj` is the input already projected and biased (x·kernel + bias, [B, 4H]);
 * this adds h·recurrent and applies the gates (one kernel where the backend has it).
 */
export function lstmStep(xProj: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D, recurrent: tf.Tensor): LstmState {
  return tf.tidy(() => lstmGatesOp(stepPreActivations(xProj, h, recurrent), c));
}

/** lstmStep on plain ops on every backend: the reference for the gates' kernels. */
export function lstmStepReference(xProj: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D, recurrent: tf.Tensor): LstmState {
  return tf.tidy(() => lstmGates(tf.add(xProj, tf.matMul(h, recurrent as tf.Tensor2D)) as tf.Tensor2D, c));
}

/**
 * Run one layer over a padded, time-major batch; the core of runLstmLayer and of the encoder.
 *
 * x      [T, B, in]  inputs, time-major (splitting the leading axis into steps is free)
 * mask   [T, B]      1 at real tokens, 0 at padding (any dtype); null means no padding
 * reverse            process time steps T−1 … 0 (the backward half of a bidirectional layer)
 *
 * Masking: at a padded step the state is carried through unchanged and the output is 0. Because
 * padding is on the right, a reversed pass first walks over the padding (leaving the initial state
 * untouched) and then reads the real tokens last-to-first, exactly as if the sequence had not been
 * padded. The forward pass ends its real tokens early and carries the final real state to the end.
 * The same rule makes any padding pattern correct, not only right padding.
 *
 * Returns the output of every step, in the original time order (also when reversed), as one
 * [T, B, H] tensor, and the final state. Where the backend has the masked step's kernels (WebGPU), a
 * masked layer that starts from zeros (the encoder's) runs as one op with its own gradient
 * (lstm-sequence.ts).
 */
export function runLstmTimeMajor(
  x: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  weights: LstmWeights,
  initialState?: LstmState,
  reverse = false,
): { sequence: tf.Tensor3D; state: LstmState } {
  return tf.tidy(() => {
    const [steps, batch, inDim] = x.shape;
    const hidden = weights.recurrent.shape[0];
    // All input projections in one matMul: [T·B, in] × [in, 4H].
    const proj = tf.add(tf.matMul(tf.reshape(x, [steps * batch, inDim]), weights.kernel as tf.Tensor2D), weights.bias);
    if (mask && !initialState && lstmGatesKernelAvailable() && maskedLstmGatesKernelAvailable()) {
      const keepAll = tf.reshape(tf.cast(mask, 'float32'), [steps, batch, 1]) as tf.Tensor3D;
      const packed = maskedLstmSequence(
        tf.reshape(proj, [steps, batch, 4 * hidden]) as tf.Tensor3D,
        weights.recurrent as tf.Tensor2D,
        keepAll,
        reverse,
      );
      const [sequence, hFinal, cFinal] = tf.split(packed, [steps, 1, 1], 0) as tf.Tensor3D[];
      return {
        sequence: sequence!,
        state: {
          h: tf.reshape(hFinal!, [batch, hidden]) as tf.Tensor2D,
          c: tf.reshape(cFinal!, [batch, hidden]) as tf.Tensor2D,
        },
      };
    }
    const stepInputs = tf.unstack(tf.reshape(proj, [steps, batch, 4 * hidden])) as tf.Tensor2D[]; // T × [B, 4H]
    // keep[t] [B, 1] is 1 where step t is real.
    const keep = mask ? (tf.unstack(tf.reshape(tf.cast(mask, 'float32'), [steps, batch, 1])) as tf.Tensor2D[]) : null;

    let h = initialState ? initialState.h : (tf.zeros([batch, hidden]) as tf.Tensor2D);
    let c = initialState ? initialState.c : (tf.zeros([batch, hidden]) as tf.Tensor2D);
    const outputs: tf.Tensor2D[] = new Array(steps);
    for (let k = 0; k < steps; k++) {
      const t = reverse ? steps - 1 - k : k;
      if (keep) {
        // The gates and the mask in one (one kernel where the backend has it): keep·new + (1 − keep)·old.
        const z = stepPreActivations(stepInputs[t]!, h, weights.recurrent);
        const next = maskedLstmGatesOp(z, c, h, keep[t]);
        h = next.h;
        c = next.c;
        outputs[t] = next.out;
      } else {
        const next = lstmStep(stepInputs[t], h, c, weights.recurrent);
        h = next.h;
        c = next.c;
        outputs[t] = next.h;
      }
    }
    return { sequence: tf.stack(outputs) as tf.Tensor3D, state: { h, c } };
  });
}

/**
 * Batch-major form of runLstmTimeMajor: x [B, T, in], mask [B, T] → outputs [B, T, H] and the
 * final state.
 */
export function runLstmLayer(
  x: tf.Tensor3D,
  mask: tf.Tensor2D | null,
  weights: LstmWeights,
  initialState?: LstmState,
  reverse = false,
): { outputs: tf.Tensor3D; state: LstmState } {
  return tf.tidy(() => {
    const xT = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D;
    const maskT = mask ? (tf.transpose(mask) as tf.Tensor2D) : null;
    const r = runLstmTimeMajor(xT, maskT, weights, initialState, reverse);
    return { outputs: tf.transpose(r.sequence, [1, 0, 2]) as tf.Tensor3D, state: { h: r.state.h, c: r.state.c } };
  });
}
