// The project's kernels for the backend tfjs just started, in Node and the browser alike: the
// fast wasm slices and matmuls and UnsortedSegmentSum, the cpu UnsortedSegmentSum, and on WebGPU
// the model's LSTM ops (src/model/net/lstm-ops.ts runs them where they are registered), AddN of more
// than 7 inputs and, on SwiftShader only, barrier-free matmuls, reductions, softmax and stacking
// (swiftshader/). Each is idempotent.
//
// The WebGPU ones come in named groups that the developer tools (dev/: kernel checks, bench) switch
// off and on again by unregistering and registering them, to compare with what runs without them.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../shared/select';
import { registerCpuKernels } from './cpu-kernels';
import { kernelsOn, newKernels, switchKernels, type ProjectKernel } from './kernel-registry';
import { swiftshaderKernelGroups, type SwiftshaderGroup } from './swiftshader/register';
import { registerWasmKernels } from './wasm-kernels';
import { installChunkedWebgpuAddN } from './webgpu-addn';
import { WEBGPU_LSTM_GATES_KERNELS } from './webgpu-lstm';
import { WEBGPU_MASKED_LSTM_KERNELS } from './webgpu-lstm-masked';

/** 'webgpu-lstm': the LSTM cell's kernels (gates and masked step); the others: swiftshader/register.ts. */
export type KernelGroup = 'webgpu-lstm' | SwiftshaderGroup;

const groups = new Map<KernelGroup, ProjectKernel[]>();

/** Registers a group, once: a later call keeps it as it is (switched on or off). */
function install(group: KernelGroup, build: () => ProjectKernel[]): void {
  if (groups.has(group)) return;
  const kernels = build();
  groups.set(group, kernels);
  switchKernels(kernels, true);
}

export function registerProjectKernels(backend: BackendName): void {
  if (backend === 'wasm') registerWasmKernels();
  if (backend === 'cpu') registerCpuKernels();
  if (backend === 'webgpu') {
    installChunkedWebgpuAddN();
    install('webgpu-lstm', () => newKernels([...WEBGPU_LSTM_GATES_KERNELS, ...WEBGPU_MASKED_LSTM_KERNELS]));
    for (const [group, build] of swiftshaderKernelGroups(tf.backend())) install(group, build);
  }
}

/** Switches a registered group on (its kernels registered) or off (tfjs's, or none); nothing when it was never registered. */
export function setKernelGroup(group: KernelGroup, on: boolean): void {
  const kernels = groups.get(group);
  if (kernels) switchKernels(kernels, on);
}

/** True when the group was registered here and is switched on. */
export function kernelGroupOn(group: KernelGroup): boolean {
  return kernelsOn(groups.get(group) ?? []);
}
