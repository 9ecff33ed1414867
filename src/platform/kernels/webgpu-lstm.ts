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
// a copy per part (WebGPU's slice is a program), slower than two programs (measured: docs/kernels-and-bench.md, "Measurements behind the code"),
// so each result has its own program,
// as has each gradient (dz, dc; the tape runs only those it needs). tf.customGrad returns a single
// tensor, so the op is a two-output kernel with a registered gradient instead (src/model/net/lstm-ops.ts
// names the kernels, registers that gradient and runs the reference where no kernel is registered).
//
// These are WebGPU's kernels for the model's ops; register.ts registers them.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { FUSED_LSTM_GATES, FUSED_LSTM_GATES_GRAD, type FusedLstmGatesGradAttrs } from '../../model/internals';
import { flatProgram, type WebGpuBackendLike, type WebGpuProgram } from './webgpu-program.js';

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
  return runCellProgram((attrs as unknown as FusedLstmGatesGradAttrs).wrt === 'z' ? 'dz' : 'dc', backend, [
    z,
    c,
    dh,
    dc,
  ]);
};

/** The gates forward and backward, for webgpu. */
export const WEBGPU_LSTM_GATES_KERNELS: KernelConfig[] = [
  { kernelName: FUSED_LSTM_GATES, backendName: 'webgpu', kernelFunc: forwardKernel },
  { kernelName: FUSED_LSTM_GATES_GRAD, backendName: 'webgpu', kernelFunc: gradKernel },
];
