// The encoder's LSTM step with its padding mask, fused on WebGPU, forward and backward.
//
// At a padded step the encoder carries its state through and outputs 0 (runLstmTimeMajor):
//   h_next = keep·h' + (1 − keep)·h     c_next = keep·c' + (1 − keep)·c     out = keep·h'
// On plain ops that is 7 more programs per step forward and about twice that backward, on top of
// the fused gates: over 60 source steps, about a quarter of a tiny training step's dispatches. Here
// the gates and the mask are one program per result: h_next, c_next, out forward; dz, dc and dh
// backward. keep is [B, 1], 1 at a real token and 0 at padding (read through f32(): a float cast
// of an int32 mask keeps the int32 buffer); the results select, so a padded batch reproduces the
// unpadded one exactly. Same structure as webgpu-lstm.ts; on other backends, or when the fused
// cell is off, maskedLstmGates is the reference on plain ops.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { lstmGates } from '../../model/lstm-cell.js';
import { ACTIVATIONS, CELL_PROLOGUE, fusedLstmCellEnabled, fusedLstmGates } from './webgpu-lstm.js';
import { flatProgram, type WebGpuBackendLike, type WebGpuProgram } from './webgpu-program.js';

/** z, c, h, keep → [h_next, c_next, out]. */
export const MASKED_LSTM_GATES = 'MaskedLstmGates';
/** z, c, keep, dh_next, dc_next, dout → dz, dc or dh (attribute `wrt`). */
export const MASKED_LSTM_GATES_GRAD = 'MaskedLstmGatesGrad';

// keep of this cell's row, and the gradients that reach h' and c' (only where keep is 1).
const MASKED_GRAD_PROLOGUE = `
    let keep = f32(K[b]) > 0.5;
    let dh = select(0.0, DH[index] + DO[index], keep);
    let tanhC = tanhOf(cNext);
    let dcTotal = select(0.0, DC[index], keep) + dh * o * (1.0 - tanhC * tanhC);`;

const BODIES = {
  h: `result[index] = select(H[index], o * tanhOf(cNext), f32(K[b]) > 0.5);`,
  c: `result[index] = select(C[index], cNext, f32(K[b]) > 0.5);`,
  out: `result[index] = select(0.0, o * tanhOf(cNext), f32(K[b]) > 0.5);`,
  dz: `${MASKED_GRAD_PROLOGUE}
    result[row] = dcTotal * g * i * (1.0 - i);
    result[row + hidden] = dcTotal * C[index] * f * (1.0 - f);
    result[row + 2 * hidden] = dcTotal * i * (1.0 - g * g);
    result[row + 3 * hidden] = dh * tanhC * o * (1.0 - o);`,
  // c reaches the next state through the forget gate where keep is 1, unchanged where it is 0.
  dc: `${MASKED_GRAD_PROLOGUE}
    result[index] = select(DC[index], dcTotal * f, keep);`,
  // h reaches the next state only where keep is 0 (where it is 1, h acts through z: the tape's part).
  dh: `result[index] = select(DH[index], 0.0, f32(K[b]) > 0.5);`,
};
type Kind = keyof typeof BODIES;

// Each program names every binding (`_ = X[0];`): WebGPU drops a binding the shader never uses from
// the pipeline's layout, and tfjs binds every input, so the bind group would be invalid.
function program(kind: Kind, batch: number, hidden: number): WebGpuProgram {
  const backward = kind === 'dz' || kind === 'dc' || kind === 'dh';
  const variables = backward ? ['Z', 'C', 'K', 'DH', 'DC', 'DO'] : ['Z', 'C', 'H', 'K'];
  return flatProgram({
    outputShape: kind === 'dz' ? [batch, 4 * hidden] : [batch, hidden],
    shaderKey: `maskedLstm_${kind}`,
    variableNames: variables,
    threads: batch * hidden,
    userCode: () => `
  ${ACTIVATIONS}
  fn main(index : i32) {
    ${variables.map((v) => `_ = ${v}[0];`).join(' ')}
    ${CELL_PROLOGUE}
    ${BODIES[kind]}
  }`,
  });
}

function run(kind: Kind, backend: unknown, inputs: TensorInfo[]): TensorInfo {
  const [batch, hidden] = inputs[1].shape; // c
  return (backend as WebGpuBackendLike).runWebGPUProgram(program(kind, batch, hidden), inputs, 'float32');
}

const forwardKernel: KernelFunc = ({ inputs, backend }) => {
  const { z, c, h, keep } = inputs as Record<'z' | 'c' | 'h' | 'keep', TensorInfo>;
  return [run('h', backend, [z, c, h, keep]), run('c', backend, [z, c, h, keep]), run('out', backend, [z, c, h, keep])];
};

const gradKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { z, c, keep, dh, dc, dout } = inputs as Record<'z' | 'c' | 'keep' | 'dh' | 'dc' | 'dout', TensorInfo>;
  const wrt = (attrs as { wrt: 'z' | 'c' | 'h' }).wrt;
  return run(wrt === 'z' ? 'dz' : wrt === 'c' ? 'dc' : 'dh', backend, [z, c, keep, dh, dc, dout]);
};

let registered = false;

/** Registers the masked step's kernels for webgpu and its gradient; once. */
export function registerMaskedLstmKernels(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel(MASKED_LSTM_GATES, 'webgpu')) tf.registerKernel({ kernelName: MASKED_LSTM_GATES, backendName: 'webgpu', kernelFunc: forwardKernel });
  if (!tf.getKernel(MASKED_LSTM_GATES_GRAD, 'webgpu')) tf.registerKernel({ kernelName: MASKED_LSTM_GATES_GRAD, backendName: 'webgpu', kernelFunc: gradKernel });
  if (!tf.getGradient(MASKED_LSTM_GATES)) {
    tf.registerGradient({
      kernelName: MASKED_LSTM_GATES,
      inputsToSave: ['z', 'c', 'keep'],
      gradFunc: (dys, saved) => {
        const [dh, dc, dout] = dys as tf.Tensor[];
        const [z, c, keep] = saved;
        const grad = (wrt: 'z' | 'c' | 'h') => () =>
          tf.engine().runKernel(MASKED_LSTM_GATES_GRAD, { z, c, keep, dh, dc, dout }, { wrt }) as tf.Tensor;
        // The mask comes from the data, never from a weight: its gradient is never asked for.
        return { z: grad('z'), c: grad('c'), h: grad('h'), keep: () => tf.zerosLike(keep) };
      },
    });
  }
}

/** The reference: the gates, then keep·new + (1 − keep)·old, on plain ops. */
export function maskedLstmGatesReference(z: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D, keep: tf.Tensor2D, gates = lstmGates) {
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
 * the next state and the step's output. Three programs each way on webgpu; plain ops elsewhere.
 */
export function maskedLstmGates(z: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D, keep: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D; out: tf.Tensor2D } {
  if (!fusedLstmCellEnabled() || tf.getBackend() !== 'webgpu') return maskedLstmGatesReference(z, c, h, keep, fusedLstmGates);
  if (keep.dtype !== 'float32') throw new Error('maskedLstmGates: keep must be float32 (1 at a token, 0 at padding)');
  registerMaskedLstmKernels();
  const [hNext, cNext, out] = tf.engine().runKernel(MASKED_LSTM_GATES, { z, c, h, keep }, {}) as tf.Tensor2D[];
  return { h: hNext, c: cNext, out };
}
