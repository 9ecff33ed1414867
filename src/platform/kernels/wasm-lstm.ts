// The model's LSTM ops (src/model/net/lstm-ops.ts) as wasm kernels: JavaScript loops over the
// wasm heap, one pass over the B·H cells per kernel, around the backend's own Sigmoid.
//
// Without them the model runs the reference on plain ops: per step about 14 kernels forward and 30
// backward (split, sigmoids, tanh, products, sums, and the mask's selects), each with a fixed
// dispatch cost in tfjs, and each taped kernel keeps its inputs through an Identity kernel. At seed
// size that is most of a training step's 25,000 kernels, and being sequential it also caps what
// XNNPACK's threads can gain (measured: docs/kernels-and-bench.md). Here each op is one kernel.
//
// Same formulas as the WebGPU programs (webgpu-lstm.ts, webgpu-lstm-masked.ts): each kernel
// recomputes the gates from z. i, f and o are the reference's own values, the new cell is rounded
// to float32 where the reference rounds it, and g and tanh c' differ from wasm's Tanh by a few
// float32 roundings (withCellValues), so the kernels match the reference to rounding.
//
// The gradient asks for dz and dc (and the masked step's dh) as separate kernels, with the same
// inputs, one after the other. Both come out of the same pass over the cells, so the first of the
// two computes both and keeps the other (in JavaScript memory, not on the heap: nothing to leak)
// for the next kernel, which takes it if its inputs are the very same tensors (tensor data never
// changes: a new value is a new dataId).
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import {
  FUSED_LSTM_GATES,
  FUSED_LSTM_GATES_GRAD,
  type FusedLstmGatesGradAttrs,
  MASKED_LSTM_GATES,
  MASKED_LSTM_GATES_GRAD,
  type MaskedLstmGatesGradAttrs,
} from '../../model/internals';
import { Temporaries } from './matmul-products';
import { asWasmBackend, heapBytes, type KernelArgs, memoryOffsetOf, type WasmBackendInternals } from './wasm-heap';

const WASM = 'wasm';

type Numbers = Float32Array | Int32Array | Uint8Array;

/** A tensor's values on the heap, in place. Take it only after every output is allocated. */
function valuesOf(backend: WasmBackendInternals, t: TensorInfo): Numbers {
  const buffer = heapBytes(backend).buffer;
  const offset = memoryOffsetOf(backend, t);
  const size = util.sizeFromShape(t.shape);
  if (t.dtype === 'float32') return new Float32Array(buffer, offset, size);
  if (t.dtype === 'int32') return new Int32Array(buffer, offset, size);
  if (t.dtype === 'bool') return new Uint8Array(buffer, offset, size);
  throw new Error(`wasm LSTM kernels: unsupported dtype ${t.dtype}`);
}

function floatsOf(backend: WasmBackendInternals, t: TensorInfo): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`wasm LSTM kernels: float32 inputs only, got ${t.dtype}`);
  return valuesOf(backend, t) as Float32Array;
}

const fround = Math.fround;

/** The cell's inputs: z [B, 4H] (blocks i, f, g, o), c [B, H]. */
interface Cells {
  z: TensorInfo;
  c: TensorInfo;
  batch: number;
  hidden: number;
}

/** What a pass over the cells reads, on the heap: the gates in z's layout and tanh c', and c. */
interface CellValues {
  gates: Float32Array; // [B, 4H]: i, f, g, o
  tanhCell: Float32Array; // [B, H]
  c: Float32Array;
}

/** keep of row b: 1 at a token, 0 at padding (the mask's tensor, any dtype). */
const kept = (keep: Numbers | null, b: number) => keep === null || keep[b]! > 0.5;

/** c' = f·c + i·g, rounded where the reference rounds. */
const cellOf = (i: number, f: number, g: number, c: number) => fround(fround(f * c) + fround(i * g));

/**
 * The activations of every cell by the backend's own Sigmoid kernel (XNNPACK, vectorised), run
 * on whole tensors: σ of z gives i, f and o as the reference has them, and tanh x = 2σ(2x) − 1
 * gives g and tanh c' (wasm's Tanh kernel is a scalar loop, ten times slower per element, as is
 * Math.tanh; this form differs from it by a few float32 roundings, absolute). `body` gets views
 * taken after the last allocation, so it must not allocate on the heap.
 */
function withCellValues(
  backend: WasmBackendInternals,
  sigmoid: KernelFunc,
  { z, c, batch, hidden }: Cells,
  body: (values: CellValues) => void,
): void {
  const temps = new Temporaries(backend);
  const sigmoidOf = (x: TensorInfo) => temps.add(sigmoid({ inputs: { x }, backend, attrs: {} }) as TensorInfo);
  try {
    const width = 4 * hidden;
    const scaled = temps.add(backend.makeOutput([batch, width], 'float32'));
    const twiceCell = temps.add(backend.makeOutput([batch, hidden], 'float32'));
    const zIn = floatsOf(backend, scaled);
    zIn.set(floatsOf(backend, z));
    for (let b = 0; b < batch; b++) {
      for (let k = b * width + 2 * hidden, end = k + hidden; k < end; k++) zIn[k] = 2 * zIn[k]!;
    }
    const gatesInfo = sigmoidOf(scaled);
    const gates = floatsOf(backend, gatesInfo);
    const cValues = floatsOf(backend, c);
    const cellIn = floatsOf(backend, twiceCell);
    for (let b = 0; b < batch; b++) {
      const first = b * hidden;
      const row = b * width;
      for (let j = 0; j < hidden; j++) {
        const gate = row + 2 * hidden + j;
        const g = 2 * gates[gate]! - 1;
        gates[gate] = g;
        cellIn[first + j] = 2 * cellOf(gates[row + j]!, gates[row + hidden + j]!, gates[gate]!, cValues[first + j]!);
      }
    }
    const tanhInfo = sigmoidOf(twiceCell);
    const tanhCell = floatsOf(backend, tanhInfo);
    for (let k = 0; k < tanhCell.length; k++) tanhCell[k] = 2 * tanhCell[k]! - 1;
    body({ gates: floatsOf(backend, gatesInfo), tanhCell, c: floatsOf(backend, c) });
  } finally {
    temps.release();
  }
}

/**
 * Forward: h' and c' of every cell, or (keep given) the masked step: a padded row keeps h and c
 * and outputs 0. `out` is null for the plain step, which has no separate output.
 */
function forwardPass(
  { gates, tanhCell, c }: CellValues,
  batch: number,
  hidden: number,
  masked: { hPrev: Float32Array; keep: Numbers; out: Float32Array } | null,
  hNext: Float32Array,
  cNext: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const first = b * hidden;
    if (masked && !kept(masked.keep, b)) {
      hNext.set(masked.hPrev.subarray(first, first + hidden), first);
      cNext.set(c.subarray(first, first + hidden), first);
      masked.out.fill(0, first, first + hidden);
      continue;
    }
    const row = 4 * first;
    for (let j = 0; j < hidden; j++) {
      const index = first + j;
      const i = gates[row + j]!;
      const f = gates[row + hidden + j]!;
      const g = gates[row + 2 * hidden + j]!;
      const o = gates[row + 3 * hidden + j]!;
      cNext[index] = cellOf(i, f, g, c[index]!);
      hNext[index] = o * tanhCell[index]!;
    }
    if (masked) masked.out.set(hNext.subarray(first, first + hidden), first);
  }
}

/** The incoming gradients: dh', dc' (and the masked step's dout, added to dh' where keep is 1). */
interface Incoming {
  dh: Float32Array;
  dc: Float32Array;
  dout: Float32Array | null;
}

/**
 * Backward, both results of one pass: dz [B, 4H] and dc [B, H]. c' feeds h' as well as the next
 * step, so dc'total = dc' + dh'·o·(1 − tanh²c'); a padded row passes dc' through and has dz = 0.
 */
function backwardPass(
  { gates, tanhCell, c }: CellValues,
  batch: number,
  hidden: number,
  keep: Numbers | null,
  { dh: dhIn, dc: dcIn, dout }: Incoming,
  dz: Float32Array,
  dc: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const first = b * hidden;
    const row0 = 4 * first;
    if (!kept(keep, b)) {
      dz.fill(0, row0, row0 + 4 * hidden);
      dc.set(dcIn.subarray(first, first + hidden), first);
      continue;
    }
    for (let j = 0; j < hidden; j++) {
      const row = row0 + j;
      const index = first + j;
      const i = gates[row]!;
      const f = gates[row + hidden]!;
      const g = gates[row + 2 * hidden]!;
      const o = gates[row + 3 * hidden]!;
      const tanhC = tanhCell[index]!;
      const dh = dout ? dhIn[index]! + dout[index]! : dhIn[index]!;
      const dcTotal = dcIn[index]! + dh * o * (1 - tanhC * tanhC);
      dz[row] = dcTotal * g * i * (1 - i);
      dz[row + hidden] = dcTotal * c[index]! * f * (1 - f);
      dz[row + 2 * hidden] = dcTotal * i * (1 - g * g);
      dz[row + 3 * hidden] = dh * tanhC * o * (1 - o);
      dc[index] = dcTotal * f;
    }
  }
}

/** The gradient one backward pass computed and the next kernel has not asked for yet. */
interface KeptGradient {
  inputs: object[]; // the dataIds of the pass's inputs, in a fixed order
  wrt: 'z' | 'c';
  values: Float32Array;
}
let keptGradient: KeptGradient | null = null;
let scratch = new Float32Array(0);

const sameInputs = (a: object[], b: object[]) => a.length === b.length && a.every((id, k) => id === b[k]);

/** dz or dc on the heap, from the kept result of the previous pass when it fits, else a new pass. */
function gradientKernel(args: KernelArgs, sigmoid: KernelFunc, wrt: 'z' | 'c', masked: boolean): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const t = args.inputs as Record<string, TensorInfo>;
  const names = masked ? ['z', 'c', 'keep', 'dh', 'dc', 'dout'] : ['z', 'c', 'dh', 'dc'];
  const inputIds = names.map((name) => t[name]!.dataId);
  const result = backend.makeOutput((wrt === 'z' ? t.z! : t.c!).shape, 'float32');
  const previous = keptGradient;
  keptGradient = null;
  if (previous && previous.wrt === wrt && sameInputs(previous.inputs, inputIds)) {
    floatsOf(backend, result).set(previous.values);
    return result;
  }
  const [batch, hidden] = t.c!.shape as [number, number];
  const otherSize = wrt === 'z' ? batch * hidden : 4 * batch * hidden;
  if (scratch.length < otherSize) scratch = new Float32Array(otherSize);
  const other = scratch.subarray(0, otherSize);
  withCellValues(backend, sigmoid, { z: t.z!, c: t.c!, batch, hidden }, (cells) => {
    const values = floatsOf(backend, result);
    const keep = masked ? valuesOf(backend, t.keep!) : null;
    const incoming = {
      dh: floatsOf(backend, t.dh!),
      dc: floatsOf(backend, t.dc!),
      dout: masked ? floatsOf(backend, t.dout!) : null,
    };
    if (wrt === 'z') backwardPass(cells, batch, hidden, keep, incoming, values, other);
    else backwardPass(cells, batch, hidden, keep, incoming, other, values);
  });
  keptGradient = { inputs: inputIds, wrt: wrt === 'z' ? 'c' : 'z', values: other };
  return result;
}

/** h reaches the next state only where keep is 0 (where it is 1, h acts through z: the tape's part). */
function maskedHiddenGrad(args: KernelArgs): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { keep, dh } = args.inputs as Record<'keep' | 'dh', TensorInfo>;
  const [batch, hidden] = dh.shape as [number, number];
  const result = backend.makeOutput([batch, hidden], 'float32');
  const values = floatsOf(backend, result);
  const keepValues = valuesOf(backend, keep);
  const dhValues = floatsOf(backend, dh);
  for (let b = 0; b < batch; b++) {
    const first = b * hidden;
    if (kept(keepValues, b)) values.fill(0, first, first + hidden);
    else values.set(dhValues.subarray(first, first + hidden), first);
  }
  return result;
}

/**
 * The gates and the masked step, forward and backward, for wasm, on the backend's own Sigmoid
 * kernel `sigmoid` (the stock one; wasm-kernels.ts registers these).
 */
export function makeWasmLstmKernels(sigmoid: KernelFunc): KernelConfig[] {
  const gatesKernel: KernelFunc = (args) => {
    const backend = asWasmBackend(args.backend);
    const { z, c } = args.inputs as Record<'z' | 'c', TensorInfo>;
    const [batch, hidden] = c.shape as [number, number];
    const hNext = backend.makeOutput([batch, hidden], 'float32');
    const cNext = backend.makeOutput([batch, hidden], 'float32');
    withCellValues(backend, sigmoid, { z, c, batch, hidden }, (cells) =>
      forwardPass(cells, batch, hidden, null, floatsOf(backend, hNext), floatsOf(backend, cNext)),
    );
    return [hNext, cNext];
  };
  const maskedKernel: KernelFunc = (args) => {
    const backend = asWasmBackend(args.backend);
    const { z, c, h, keep } = args.inputs as Record<'z' | 'c' | 'h' | 'keep', TensorInfo>;
    const [batch, hidden] = c.shape as [number, number];
    const [hNext, cNext, out] = [0, 1, 2].map(() => backend.makeOutput([batch, hidden], 'float32')) as [
      TensorInfo,
      TensorInfo,
      TensorInfo,
    ];
    withCellValues(backend, sigmoid, { z, c, batch, hidden }, (cells) => {
      const masked = { hPrev: floatsOf(backend, h), keep: valuesOf(backend, keep), out: floatsOf(backend, out) };
      forwardPass(cells, batch, hidden, masked, floatsOf(backend, hNext), floatsOf(backend, cNext));
    });
    return [hNext, cNext, out];
  };
  const gatesGradKernel: KernelFunc = (args) =>
    gradientKernel(args, sigmoid, (args.attrs as unknown as FusedLstmGatesGradAttrs).wrt, false);
  const maskedGradKernel: KernelFunc = (args) => {
    const wrt = (args.attrs as unknown as MaskedLstmGatesGradAttrs).wrt;
    return wrt === 'h' ? maskedHiddenGrad(args) : gradientKernel(args, sigmoid, wrt, true);
  };
  return [
    { kernelName: FUSED_LSTM_GATES, backendName: WASM, kernelFunc: gatesKernel },
    { kernelName: FUSED_LSTM_GATES_GRAD, backendName: WASM, kernelFunc: gatesGradKernel },
    { kernelName: MASKED_LSTM_GATES, backendName: WASM, kernelFunc: maskedKernel },
    { kernelName: MASKED_LSTM_GATES_GRAD, backendName: WASM, kernelFunc: maskedGradKernel },
  ];
}
