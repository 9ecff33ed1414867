// The project's kernels go in and out of tfjs's kernel registry: registered at start-up
// (register.ts), and switched off and on again by the developer tools (kernel checks, bench) to
// compare them with what runs without them. tfjs looks a kernel up at every call, so switching
// takes effect at the next op.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';

/** A project kernel and what it replaces: tfjs's own kernel of that name, or nothing (a new op). */
export interface ProjectKernel {
  ours: KernelConfig;
  stock: KernelConfig | null;
}

/** Puts `config` in the registry unless it is already the one there (no duplicate warning). */
function putKernel(config: KernelConfig): void {
  const current = getKernel(config.kernelName, config.backendName);
  if (current === config) return;
  if (current != null) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

/** Kernels of a new op: nothing to restore when switched off. */
export function newKernels(configs: KernelConfig[]): ProjectKernel[] {
  return configs.map((ours) => ({ ours, stock: null }));
}

/** on: registers ours. off: registers the stock kernel back, or unregisters ours where there is none. */
export function switchKernels(kernels: readonly ProjectKernel[], on: boolean): void {
  for (const { ours, stock } of kernels) {
    if (on) putKernel(ours);
    else if (stock) putKernel(stock);
    else if (getKernel(ours.kernelName, ours.backendName)) unregisterKernel(ours.kernelName, ours.backendName);
  }
}

/** True when every one of `kernels` is the registered kernel of its name. */
export function kernelsOn(kernels: readonly ProjectKernel[]): boolean {
  return kernels.length > 0 && kernels.every(({ ours }) => getKernel(ours.kernelName, ours.backendName) === ours);
}
