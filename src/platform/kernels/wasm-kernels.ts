// Registers the project's kernels for @tensorflow/tfjs-backend-wasm 4.22 (non-threaded), in Node
// and the browser. Why: on stock kernels one seed-size LSTM training step is far slower (slices
// copying the whole input out of wasm memory, transposed matmuls on a slow path) and embeddings
// cannot train at all (no UnsortedSegmentSum, the gradient of gather). The model's LSTM ops come
// as kernels too (wasm-lstm.ts); without them the model runs their reference on plain ops.
//
// Call after importing '@tensorflow/tfjs-backend-wasm' (its stock kernels must be registered, so
// they can be saved and restored); before or after tf.setBackend('wasm') both work.
import { getKernel, type KernelConfig, type KernelFunc, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import {
  makeCastKernel,
  makeIdentityKernel,
  makeSliceKernel,
  makeSplitVKernel,
  makeStridedSliceKernel,
  makeUnpackKernel,
} from './copy-kernels';
import { kernelsOn, newKernels, type ProjectKernel, switchKernels } from './kernel-registry';
import { makeFastMatMulKernel, withFullBias } from './matmul-kernels';
import { unsortedSegmentSumKernel } from './segment-sum-kernel';
import { makeWasmLstmKernels } from './wasm-lstm';

const WASM = 'wasm';

/** Stock kernels we replace; switching off restores them. */
export const REPLACED_WASM_KERNELS = [
  'Slice',
  'StridedSlice',
  'Unpack',
  'SplitV',
  'BatchMatMul',
  '_FusedMatMul',
  'Identity',
  'Cast',
] as const;
/**
 * Kernels stock wasm lacks. They stay registered when switched off: there is nothing to restore,
 * and removing them would only make the baseline fail instead of run.
 */
export const ADDED_WASM_KERNELS = ['UnsortedSegmentSum'] as const;

interface RegistryState {
  stock: Map<string, KernelConfig>;
  ours: Map<string, KernelConfig>;
  /** The kernels of the model's own ops (src/model/net/lstm-ops.ts): unregistered when off, so the model runs their reference on plain ops. */
  modelOps: ProjectKernel[];
  enabled: boolean;
}

/** What setProjectWasmKernels switches besides the replacements. */
export interface WasmKernelOptions {
  /** The LSTM ops' kernels (default: on with the rest); off measures the model's reference on our other kernels. */
  lstmGates?: boolean;
}

let state: RegistryState | null = null;

/** Registers the project's wasm kernels. Idempotent. */
export function registerWasmKernels(): void {
  setProjectWasmKernels(true);
}

/**
 * true: the project's kernels replace the stock ones. false: the stock kernels are back (for a
 * baseline measurement) and the LSTM ops' kernels are gone; UnsortedSegmentSum stays, since stock
 * has none.
 */
export function setProjectWasmKernels(enabled: boolean, options: WasmKernelOptions = {}): void {
  const s = (state ??= captureStockAndBuild());
  for (const name of ADDED_WASM_KERNELS) install(s.ours.get(name) as KernelConfig);
  for (const name of REPLACED_WASM_KERNELS) {
    install((enabled ? s.ours : s.stock).get(name) as KernelConfig);
  }
  switchKernels(s.modelOps, enabled && (options.lstmGates ?? true));
  s.enabled = enabled;
}

/** Whether the LSTM ops run as the project's wasm kernels now. */
export function wasmLstmKernelsEnabled(): boolean {
  return state != null && kernelsOn(state.modelOps);
}

/** Whether the project's replacements are currently the registered wasm kernels. */
export function projectWasmKernelsEnabled(): boolean {
  return state?.enabled ?? false;
}

/** Puts `config` in the registry unless it is already the one there (no duplicate warning). */
function install(config: KernelConfig): void {
  const current = getKernel(config.kernelName, WASM);
  if (current === config) return;
  if (current != null) unregisterKernel(config.kernelName, WASM);
  registerKernel(config);
}

function captureStockAndBuild(): RegistryState {
  const stock = new Map<string, KernelConfig>();
  for (const name of [...REPLACED_WASM_KERNELS, 'Transpose', 'Sigmoid']) {
    const config = getKernel(name, WASM);
    if (config == null) {
      throw new Error(
        `registerWasmKernels: stock wasm kernel '${name}' is not registered; ` +
          `import '@tensorflow/tfjs-backend-wasm' first`,
      );
    }
    stock.set(name, config);
  }
  const stockFunc = (name: string): KernelFunc => (stock.get(name) as KernelConfig).kernelFunc;
  // Replacements keep the stock setup/dispose hooks: the engine runs the hooks of whatever is
  // registered when the backend initializes, and the stock functions we delegate to need them.
  const replace = (name: string, kernelFunc: KernelFunc): KernelConfig => {
    const original = stock.get(name) as KernelConfig;
    return {
      kernelName: name,
      backendName: WASM,
      kernelFunc,
      setupFunc: original.setupFunc,
      disposeFunc: original.disposeFunc,
    };
  };
  const transpose = stockFunc('Transpose');
  const batchMatMul = makeFastMatMulKernel({ matMul: stockFunc('BatchMatMul'), transpose }, true);
  const ours = new Map<string, KernelConfig>([
    ['Slice', replace('Slice', makeSliceKernel(stockFunc('Slice')))],
    ['StridedSlice', replace('StridedSlice', makeStridedSliceKernel(stockFunc('StridedSlice')))],
    ['Unpack', replace('Unpack', makeUnpackKernel(stockFunc('Unpack')))],
    ['SplitV', replace('SplitV', makeSplitVKernel(stockFunc('SplitV')))],
    ['Identity', replace('Identity', makeIdentityKernel(stockFunc('Identity')))],
    ['Cast', replace('Cast', makeCastKernel(stockFunc('Cast')))],
    ['BatchMatMul', replace('BatchMatMul', batchMatMul)],
    [
      '_FusedMatMul',
      replace(
        '_FusedMatMul',
        withFullBias(makeFastMatMulKernel({ matMul: stockFunc('_FusedMatMul'), transpose }, false), batchMatMul),
      ),
    ],
    [
      'UnsortedSegmentSum',
      { kernelName: 'UnsortedSegmentSum', backendName: WASM, kernelFunc: unsortedSegmentSumKernel },
    ],
  ]);
  return { stock, ours, modelOps: newKernels(makeWasmLstmKernels(stockFunc('Sigmoid'))), enabled: false };
}
