// kernel-check.html: the fused LSTM cell (src/platform/kernels/webgpu-lstm.ts) against the reference
// plain ops, and on SwiftShader the direct matmul and reductions (swiftshader/direct-*.ts) against
// tfjs's, in a real browser on WebGPU (or the backend named by ?backend=). The result goes on
// window.kernelCheck and into the page, where e2e/webgpu-lstm.spec.ts reads it. ?measure=0 skips
// the timings; ?repeats=N takes the median of N timed runs instead of 10. ?matmul=1 only times the
// model's matrix multiplies under each WebGPU matmul program (matmul-programs.ts).
import * as tf from '@tensorflow/tfjs-core';
import { lstmStep, lstmStepReference, lstmGates, lstmGatesOp } from '../../src/model/internals';
import { describeBackend, initWebBackend, requestedBackendFromQuery } from '../../src/platform/web/web';
import { checkChain, checkGates, compareCost, type CostComparison } from './checks';
import { checkDirectKernels } from './direct-kernels-check';
import { checkMaskedGates, checkMaskedLayer } from './masked-checks';
import { MODEL_MATMULS, timeMatmulPrograms, type MatmulTiming } from './matmul-programs';

/** Largest error allowed, absolute below 1 and relative above (see maxError in checks.ts). */
const TOLERANCE = 1e-4;
/** [batch, hidden]: a tiny shape, and the model's training shape. */
const SHAPES: Array<[number, number]> = [
  [3, 8],
  [32, 256],
];
const CHAIN_STEPS = 3;
const TIMED_SHAPE: [number, number] = [32, 256];
const WARMUP = 3;
const DEFAULT_REPEATS = 10;

export interface Timings {
  batch: number;
  hidden: number;
  repeats: number;
  /** lstmStep against lstmStepReference: recurrent matMul, add and gates. */
  step: CostComparison;
  /** The gates alone: lstmGatesOp (the kernel) against lstmGates. */
  gates: CostComparison;
}

export interface KernelCheckResult {
  status: 'running' | 'passed' | 'failed' | 'error';
  backend: string | null;
  tolerance: number;
  /** "gates B3 H8 dz", "chain3 B32 H256 dRecurrent", …: the largest error of that output. */
  maxErrors: Record<string, number>;
  /** The direct matmul and reductions are registered (SwiftShader) and were checked ("direct …" in maxErrors). */
  directMatMul?: boolean;
  /** tf.memory().numTensors after the comparisons minus before: must be 0. */
  tensorsLeaked: number | null;
  timings: Timings | null;
  /** ?matmul=1: the model's multiplies under each matmul program. */
  matmul?: MatmulTiming[];
  /** What runs now (?matmul=1). */
  phase?: string;
  error?: string;
}

declare global {
  interface Window {
    kernelCheck: KernelCheckResult;
  }
}

const result: KernelCheckResult = {
  status: 'running',
  backend: null,
  tolerance: TOLERANCE,
  maxErrors: {},
  tensorsLeaked: null,
  timings: null,
};
window.kernelCheck = result;

function byTestId(id: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`kernel-check.html has no ${id}`);
  return element;
}

function show(): void {
  const status = byTestId('kernel-check-status');
  status.textContent = result.error ? `${result.status}: ${result.error}` : result.status;
  status.dataset.status = result.status;
  byTestId('kernel-check-report').textContent = JSON.stringify(result, null, 2);
}

async function run(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const report = await initWebBackend(requestedBackendFromQuery(location.search) ?? 'webgpu');
  result.backend = report.backend;
  const backendLabel = byTestId('kernel-check-backend');
  backendLabel.textContent = describeBackend(report);
  backendLabel.dataset.backend = report.backend;

  if (params.get('matmul') === '1') {
    const repeats = Math.max(1, Number(params.get('repeats')) || 5);
    // ?programs=auto,packed times only those tfjs programs (the project's direct one always runs).
    const programs = params.get('programs')?.split(',');
    // ?tiles=1x4,8x8 also times the direct matmul with those blocks of outputs per thread.
    const tiles = (params.get('tiles')?.split(',') ?? []).map((t) => {
      const [rows, cols] = t.split('x').map(Number);
      if (!Number.isInteger(rows) || !Number.isInteger(cols))
        throw new Error(`tiles: want ROWSxCOLS like 8x4, got "${t}"`);
      return { rows: rows!, cols: cols! };
    });
    result.matmul = await timeMatmulPrograms(
      MODEL_MATMULS,
      repeats,
      (phase) => {
        result.phase = phase;
        show();
      },
      programs,
      tiles,
    );
    result.status = 'passed';
    show();
    return;
  }

  const tensorsBefore = tf.memory().numTensors;
  for (const [batch, hidden] of SHAPES) {
    const gates = await checkGates(batch, hidden, batch * 1000 + hidden);
    for (const [name, err] of Object.entries(gates)) result.maxErrors[`gates B${batch} H${hidden} ${name}`] = err;
    show();
    const chain = await checkChain(batch, hidden, CHAIN_STEPS, batch * 1000 + hidden + 1);
    for (const [name, err] of Object.entries(chain))
      result.maxErrors[`chain${CHAIN_STEPS} B${batch} H${hidden} ${name}`] = err;
    Object.assign(result.maxErrors, await checkMaskedGates(batch, hidden, batch * 1000 + hidden + 2));
    Object.assign(result.maxErrors, await checkMaskedLayer(batch, hidden, CHAIN_STEPS + 2, batch * 1000 + hidden + 3));
    show();
  }
  // On SwiftShader the project's direct matmul and reductions run everything above; here they meet
  // tfjs's own.
  Object.assign(result.maxErrors, await checkDirectKernels(7));
  result.directMatMul = Object.keys(result.maxErrors).some((key) => key.startsWith('direct '));
  show();
  result.tensorsLeaked = tf.memory().numTensors - tensorsBefore;
  const passed = Math.max(...Object.values(result.maxErrors)) < TOLERANCE && result.tensorsLeaked === 0;

  if (params.get('measure') !== '0') {
    const [batch, hidden] = TIMED_SHAPE;
    const repeats = Math.max(1, Number(params.get('repeats')) || DEFAULT_REPEATS);
    const stepShapes = [
      [batch, 4 * hidden],
      [batch, hidden],
      [batch, hidden],
      [hidden, 4 * hidden],
    ];
    const step = await compareCost(lstmStep, lstmStepReference, stepShapes, WARMUP, repeats);
    const gates = await compareCost(
      lstmGatesOp,
      lstmGates,
      [
        [batch, 4 * hidden],
        [batch, hidden],
      ],
      WARMUP,
      repeats,
    );
    result.timings = { batch, hidden, repeats, step, gates };
  }
  result.status = passed ? 'passed' : 'failed';
  show();
}

run().catch((error: unknown) => {
  result.status = 'error';
  result.error = error instanceof Error ? error.message : String(error);
  show();
});
