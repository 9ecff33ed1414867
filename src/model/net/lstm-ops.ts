// The LSTM cell's ops, owned by the model: their names and attributes, the reference on plain
// tfjs-core ops, the gradients, and the dispatch.
//
// An op runs as one kernel when the backend tfjs runs now has a kernel of that name (and one for
// its gradient), and as the reference on plain ops otherwise, as tfjs runs its own ops. The model
// never asks which backend runs; src/platform/kernels/register.ts registers the implementations it
// has (today WebGPU's) and the developer tools switch them by registering and unregistering. The
// gradients below only name kernels, so they hold for any backend that brings them.
//
// Gate layout: z [B, 4H] holds the pre-activations of the gates i, f, g, o (see lstm-cell.ts).
import * as tf from '@tensorflow/tfjs-core';

/** z [B, 4H], c [B, H] → [h', c']. */
export const FUSED_LSTM_GATES = 'FusedLstmGates';
/** z, c, dh', dc' → dz or dc, as `wrt` says. */
export const FUSED_LSTM_GATES_GRAD = 'FusedLstmGatesGrad';
export interface FusedLstmGatesGradAttrs {
  wrt: 'z' | 'c';
}

/**
 * The encoder's step with its padding mask: z [B, 4H], c, h [B, H], keep [B, 1] (float32, 1 at a
 * token, 0 at padding) → [h_next, c_next, out] = keep·new + (1 − keep)·old, keep·h'.
 */
export const MASKED_LSTM_GATES = 'MaskedLstmGates';
/** z, c, keep, dh_next, dc_next, dout → dz, dc or dh, as `wrt` says. */
export const MASKED_LSTM_GATES_GRAD = 'MaskedLstmGatesGrad';
export interface MaskedLstmGatesGradAttrs {
  wrt: 'z' | 'c' | 'h';
}

/** True when the backend tfjs runs now has a kernel for every name. */
function backendHasKernels(...names: string[]): boolean {
  const backend = tf.getBackend();
  return names.every((name) => tf.getKernel(name, backend) != null);
}

/** The gates run as a kernel here (forward and backward). */
export function lstmGatesKernelAvailable(): boolean {
  return backendHasKernels(FUSED_LSTM_GATES, FUSED_LSTM_GATES_GRAD);
}

/** The masked step runs as a kernel here (forward and backward). */
export function maskedLstmGatesKernelAvailable(): boolean {
  return backendHasKernels(MASKED_LSTM_GATES, MASKED_LSTM_GATES_GRAD);
}

// The gradients of the two-output kernels. tf.customGrad returns a single tensor, so each op is a
// kernel with a registered gradient: the mechanism tfjs uses for its own multi-output ops.
function registerGradients(): void {
  if (!tf.getGradient(FUSED_LSTM_GATES)) {
    tf.registerGradient({
      kernelName: FUSED_LSTM_GATES,
      inputsToSave: ['z', 'c'],
      gradFunc: (dys, saved) => {
        // The tape passes zeros for an output nobody used; both are needed to form dc'total.
        const [dh, dc] = dys as tf.Tensor[];
        const [z, c] = saved;
        const grad = (wrt: FusedLstmGatesGradAttrs['wrt']) => () =>
          tf.engine().runKernel(FUSED_LSTM_GATES_GRAD, { z, c, dh, dc }, { wrt }) as tf.Tensor;
        return { z: grad('z'), c: grad('c') };
      },
    });
  }
  if (!tf.getGradient(MASKED_LSTM_GATES)) {
    tf.registerGradient({
      kernelName: MASKED_LSTM_GATES,
      inputsToSave: ['z', 'c', 'keep'],
      gradFunc: (dys, saved) => {
        const [dh, dc, dout] = dys as tf.Tensor[];
        const [z, c, keep] = saved;
        const grad = (wrt: MaskedLstmGatesGradAttrs['wrt']) => () =>
          tf.engine().runKernel(MASKED_LSTM_GATES_GRAD, { z, c, keep, dh, dc, dout }, { wrt }) as tf.Tensor;
        // The mask comes from the data, never from a weight: its gradient is never asked for.
        return { z: grad('z'), c: grad('c'), h: grad('h'), keep: () => tf.zerosLike(keep) };
      },
    });
  }
}
registerGradients();

/**
 * The four gate blocks of z [B, 4H], in order i, f, g, o. Same result as tf.split(z, 4, 1), but as
 * reshape → transpose → unstack along the leading axis: the cpu backend copies a non-contiguous
 * slice element by element, which made the split several times slower (measured: docs/kernels-and-bench.md, "Measurements behind the code").
 */
export function splitGates(z: tf.Tensor2D): tf.Tensor2D[] {
  const [batch, width] = z.shape;
  return tf.unstack(tf.transpose(tf.reshape(z, [batch, 4, width / 4]), [1, 0, 2])) as tf.Tensor2D[];
}

/** The reference gates on plain ops: pre-activations z [B, 4H] (blocks i, f, g, o) and cell c [B, H] → h', c'. */
export function lstmGates(z: tf.Tensor2D, c: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D } {
  return tf.tidy(() => {
    const [zi, zf, zg, zo] = splitGates(z);
    const i = tf.sigmoid(zi);
    const f = tf.sigmoid(zf);
    const g = tf.tanh(zg);
    const o = tf.sigmoid(zo);
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, g)) as tf.Tensor2D;
    const hNext = tf.mul(o, tf.tanh(cNext)) as tf.Tensor2D;
    return { h: hNext, c: cNext };
  });
}

/**
 * The gates of one step: z [B, 4H] (x·W + h·U + b) and c [B, H] → h', c'. The backend's kernel
 * when it has one, the reference (lstmGates) otherwise.
 */
export function lstmGatesOp(z: tf.Tensor2D, c: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D } {
  if (z.rank !== 2 || c.rank !== 2 || z.shape[0] !== c.shape[0] || z.shape[1] !== 4 * c.shape[1]) {
    throw new Error(`lstmGatesOp: z [${z.shape}] does not match c [${c.shape}] (want [B, 4H] and [B, H])`);
  }
  if (!lstmGatesKernelAvailable()) return lstmGates(z, c);
  if (z.dtype !== 'float32' || c.dtype !== 'float32') throw new Error('lstmGatesOp: float32 inputs only');
  const [h, cNext] = tf.engine().runKernel(FUSED_LSTM_GATES, { z, c }, {}) as tf.Tensor2D[];
  return { h, c: cNext };
}

/** The reference masked step: `gates`, then keep·new + (1 − keep)·old, on plain ops. */
export function maskedLstmGatesReference(
  z: tf.Tensor2D,
  c: tf.Tensor2D,
  h: tf.Tensor2D,
  keep: tf.Tensor2D,
  gates = lstmGates,
) {
  return tf.tidy(() => {
    const next = gates(z, c);
    const drop = tf.sub(1, keep);
    // keep·new + drop·old selects exactly (keep ∈ {0, 1}); unlike old + keep·(new − old) it adds no
    // rounding, so a padded batch reproduces the unpadded result.
    return {
      h: tf.add(tf.mul(keep, next.h), tf.mul(drop, h)) as tf.Tensor2D,
      c: tf.add(tf.mul(keep, next.c), tf.mul(drop, c)) as tf.Tensor2D,
      out: tf.mul(keep, next.h) as tf.Tensor2D,
    };
  });
}

/**
 * The gates of one encoder step with its mask: z [B, 4H], the state c, h [B, H] and keep [B, 1] →
 * the next state and the step's output. The backend's kernel when it has one; otherwise the
 * reference around lstmGatesOp (itself a kernel where the backend has that one).
 */
export function maskedLstmGatesOp(
  z: tf.Tensor2D,
  c: tf.Tensor2D,
  h: tf.Tensor2D,
  keep: tf.Tensor2D,
): { h: tf.Tensor2D; c: tf.Tensor2D; out: tf.Tensor2D } {
  if (!maskedLstmGatesKernelAvailable()) return maskedLstmGatesReference(z, c, h, keep, lstmGatesOp);
  if (keep.dtype !== 'float32') throw new Error('maskedLstmGatesOp: keep must be float32 (1 at a token, 0 at padding)');
  const [hNext, cNext, out] = tf.engine().runKernel(MASKED_LSTM_GATES, { z, c, h, keep }, {}) as tf.Tensor2D[];
  return { h: hNext, c: cNext, out };
}
