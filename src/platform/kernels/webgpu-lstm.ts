// The LSTM gates fused on WebGPU, forward and backward.
//
// On plain ops the gates of one step cost 14 dispatches forward (split, three sigmoids, two tanh,
// the products and sums) and 43 forward and backward with a small loss (fused: 2 and 9; counted by
// kernel-check.html). Each dispatch is a separate shader run with a fixed cost, which dominates a
// small step on WebGPU. Here the forward reads z [B, 4H] (gate blocks i, f, g, o) and c [B, H] and
// writes h' and c'; the backward reads z, c, dh' and dc' and writes dz and dc. Each program
// recomputes the gates from z (a few exp per cell) rather than saving them.
//
// A WebGPU program has one output. Packing h' and c' into one [2, B, H] tensor and cutting it costs
// a copy per part (WebGPU's slice is a program): on SwiftShader, 20 chained gate calls at B=32,
// H=256 took 30 ms packed and 21 ms as two programs (h' and c'), so each result has its own program,
// as has each gradient (dz, dc; the tape runs only those it needs). tf.customGrad returns a single
// tensor, so the op is a registered two-output kernel with a registered gradient instead: the same
// mechanism, and what tfjs uses for its own multi-output ops.
//
// On any other backend, or when switched off, fusedLstmGates is the reference (lstmGates, plain ops),
// so callers need not care. lstm-cell imports this module and this module imports lstmGates from
// lstm-cell: neither uses the other while loading, so the cycle is safe.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { lstmGates } from '../../model/lstm-cell.js';
import { flatProgram, type WebGpuBackendLike, type WebGpuProgram } from './webgpu-program.js';

let fusedEnabled = true;

/** Turns the fused WebGPU cell on or off (on by default); off, every backend runs the reference. */
export function setFusedLstmCell(enabled: boolean): void {
  fusedEnabled = enabled;
}

export function fusedLstmCellEnabled(): boolean {
  return fusedEnabled;
}

/** z, c → [h', c']. */
export const FUSED_LSTM_GATES = 'FusedLstmGates';
/** z, c, dh', dc' → dz or dc (attribute `wrt`). */
export const FUSED_LSTM_GATES_GRAD = 'FusedLstmGatesGrad';

// Same formulas as tfjs-backend-webgpu's Sigmoid and Tanh, so the fused cell matches the plain ops
// to rounding. WGSL's own tanh is not used: some drivers return NaN for large arguments.
export const ACTIVATIONS = `
  fn sigmoidOf(x : f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
  fn tanhOf(x : f32) -> f32 {
    let e = exp(-2.0 * abs(x));
    return sign(x) * (1.0 - e) / (1.0 + e);
  }`;

// One thread per (b, j) of the B·H cells; `index` is that cell, `row` its i-gate entry in z. The
// shapes come in as uniforms (cShape = [B, H]), so one compiled pipeline serves every B and H.
export const CELL_PROLOGUE = `
    let hidden = uniforms.cShape.y;
    let cells = uniforms.cShape.x * hidden;
    if (index >= cells) { return; }
    let b = index / hidden;
    let row = b * 4 * hidden + (index - b * hidden);
    let i = sigmoidOf(Z[row]);
    let f = sigmoidOf(Z[row + hidden]);
    let g = tanhOf(Z[row + 2 * hidden]);
    let o = sigmoidOf(Z[row + 3 * hidden]);
    let cNext = f * C[index] + i * g;`;

// Backward, shared by dz and dc. c' feeds h' as well as the next step, so its total gradient is
// dc'total = dc' + dh'·o·(1 − tanh²c').
const GRAD_PROLOGUE = `
    let dh = DH[index];
    let tanhC = tanhOf(cNext);
    let dcTotal = DC[index] + dh * o * (1.0 - tanhC * tanhC);`;

/** The programs, by what they write. */
const PROGRAM_BODIES = {
  h: `result[index] = o * tanhOf(cNext);`,
  c: `result[index] = cNext;`,
  // dzi = dc'total·g·i(1 − i), dzf = dc'total·c·f(1 − f), dzg = dc'total·i·(1 − g²), dzo = dh'·tanh c'·o(1 − o)
  dz: `${GRAD_PROLOGUE}
    result[row] = dcTotal * g * i * (1.0 - i);
    result[row + hidden] = dcTotal * C[index] * f * (1.0 - f);
    result[row + 2 * hidden] = dcTotal * i * (1.0 - g * g);
    result[row + 3 * hidden] = dh * tanhC * o * (1.0 - o);`,
  dc: `${GRAD_PROLOGUE}
    result[index] = dcTotal * f;`,
};
type ProgramKind = keyof typeof PROGRAM_BODIES;

function cellProgram(kind: ProgramKind, batch: number, hidden: number): WebGpuProgram {
  const backward = kind === 'dz' || kind === 'dc';
  const outputShape = kind === 'dz' ? [batch, 4 * hidden] : [batch, hidden];
  return flatProgram({
    outputShape,
    shaderKey: `fusedLstm_${kind}`,
    variableNames: backward ? ['Z', 'C', 'DH', 'DC'] : ['Z', 'C'],
    threads: batch * hidden,
    userCode: () => `
  ${ACTIVATIONS}
  fn main(index : i32) {
    ${CELL_PROLOGUE}
    ${PROGRAM_BODIES[kind]}
  }`,
  });
}

function runCellProgram(kind: ProgramKind, backend: unknown, inputs: TensorInfo[]): TensorInfo {
  const [batch, hidden] = inputs[1].shape; // c
  return (backend as WebGpuBackendLike).runWebGPUProgram(cellProgram(kind, batch, hidden), inputs, 'float32');
}

const forwardKernel: KernelFunc = ({ inputs, backend }) => {
  const { z, c } = inputs as Record<'z' | 'c', TensorInfo>;
  return [runCellProgram('h', backend, [z, c]), runCellProgram('c', backend, [z, c])];
};

const gradKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { z, c, dh, dc } = inputs as Record<'z' | 'c' | 'dh' | 'dc', TensorInfo>;
  return runCellProgram((attrs as { wrt: 'z' | 'c' }).wrt === 'z' ? 'dz' : 'dc', backend, [z, c, dh, dc]);
};

let registered = false;

/** Registers the two kernels for webgpu and the forward one's gradient; once. */
function registerFusedLstmKernels(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel(FUSED_LSTM_GATES, 'webgpu')) {
    tf.registerKernel({ kernelName: FUSED_LSTM_GATES, backendName: 'webgpu', kernelFunc: forwardKernel });
  }
  if (!tf.getKernel(FUSED_LSTM_GATES_GRAD, 'webgpu')) {
    tf.registerKernel({ kernelName: FUSED_LSTM_GATES_GRAD, backendName: 'webgpu', kernelFunc: gradKernel });
  }
  if (!tf.getGradient(FUSED_LSTM_GATES)) {
    tf.registerGradient({
      kernelName: FUSED_LSTM_GATES,
      inputsToSave: ['z', 'c'],
      gradFunc: (dys, saved) => {
        // The tape passes zeros for an output nobody used; both are needed to form dc'total.
        const [dh, dc] = dys as tf.Tensor[];
        const [z, c] = saved;
        const grad = (wrt: 'z' | 'c') => () =>
          tf.engine().runKernel(FUSED_LSTM_GATES_GRAD, { z, c, dh, dc }, { wrt }) as tf.Tensor;
        return { z: grad('z'), c: grad('c') };
      },
    });
  }
}

/**
 * The gates of one step: z [B, 4H] (blocks i, f, g, o, already x·W + h·U + b) and the cell c [B, H]
 * → h' and c'. Two small programs each way on webgpu; the reference plain ops elsewhere.
 */
export function fusedLstmGates(z: tf.Tensor2D, c: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D } {
  if (z.rank !== 2 || c.rank !== 2 || z.shape[0] !== c.shape[0] || z.shape[1] !== 4 * c.shape[1]) {
    throw new Error(`fusedLstmGates: z [${z.shape}] does not match c [${c.shape}] (want [B, 4H] and [B, H])`);
  }
  if (!fusedEnabled || tf.getBackend() !== 'webgpu') return lstmGates(z, c);
  if (z.dtype !== 'float32' || c.dtype !== 'float32') throw new Error('fusedLstmGates: float32 inputs only');
  registerFusedLstmKernels();
  const [h, cNext] = tf.engine().runKernel(FUSED_LSTM_GATES, { z, c }, {}) as tf.Tensor2D[];
  return { h, c: cNext };
}
