// Registers the project's kernels for @tensorflow/tfjs-backend-cpu 4.22 (Node and the browser's
// last fallback): UnsortedSegmentSum, whose stock version made the embedding gradient take most of
// a training step. Call after importing '@tensorflow/tfjs-backend-cpu'. Idempotent.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { cpuUnsortedSegmentSumKernel } from './segment-sum-kernel';

const OURS: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'cpu',
  kernelFunc: cpuUnsortedSegmentSumKernel,
};

export function registerCpuKernels(): void {
  const current = getKernel(OURS.kernelName, 'cpu');
  if (current?.kernelFunc === OURS.kernelFunc) return;
  if (current) unregisterKernel(OURS.kernelName, 'cpu');
  registerKernel(OURS);
}
