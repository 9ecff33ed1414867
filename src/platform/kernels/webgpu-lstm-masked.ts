// The encoder's LSTM step with its padding mask, fused on WebGPU, forward and backward.
//
// At a padded step the encoder carries its state through and outputs 0 (runLstmTimeMajor):
//   h_next = keep·h' + (1 − keep)·h     c_next = keep·c' + (1 − keep)·c     out = keep·h'
// On plain ops that is 7 more programs per step forward and about twice that backward, on top of
// the fused gates: over 60 source steps, about a quarter of a tiny training step's dispatches. Here
// the gates and the mask are one program per result: h_next, c_next, out forward; dz, dc and dh
// backward. keep is [B, 1], 1 at a real token and 0 at padding (read through f32(): a float cast
// of an int32 mask keeps the int32 buffer); the results select, so a padded batch reproduces the
// unpadded one exactly. Same structure as webgpu-lstm.ts; the op, its gradient and its reference
// on plain ops are src/model/net/lstm-ops.ts's, and register.ts registers these kernels.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { MASKED_LSTM_GATES, MASKED_LSTM_GATES_GRAD, type MaskedLstmGatesGradAttrs } from '../../model/internals';
import { ACTIVATIONS, CELL_PROLOGUE } from './webgpu-lstm.js';
import { flatProgram, type WebGpuBackendLike, type WebGpuProgram } from './webgpu-program.js';

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
  const wrt = (attrs as unknown as MaskedLstmGatesGradAttrs).wrt;
  return run(wrt === 'z' ? 'dz' : wrt === 'c' ? 'dc' : 'dh', backend, [z, c, keep, dh, dc, dout]);
};

/** The masked step forward and backward, for webgpu. */
export const WEBGPU_MASKED_LSTM_KERNELS: KernelConfig[] = [
  { kernelName: MASKED_LSTM_GATES, backendName: 'webgpu', kernelFunc: forwardKernel },
  { kernelName: MASKED_LSTM_GATES_GRAD, backendName: 'webgpu', kernelFunc: gradKernel },
];
