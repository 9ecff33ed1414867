// tfjs-backend-webgpu 4.22 runs AddN in one shader with a storage buffer per input. WebGPU's default
// limit is 8 storage buffers per shader stage (SwiftShader enforces it), so AddN of more than 7
// tensors makes an invalid pipeline: nothing runs and the result reads back as stale memory (this
// once made the trainer's gradient norm 0 or 1 on WebGPU; Adam.globalNorm now adds pairwise). The
// replacement adds at most MAX_INPUTS tensors per dispatch, so any tf.addN is right on WebGPU.
// Registered by register.ts (after each backend start, in the page, the workers and Node).
import {
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** One binding is the output; the rest are inputs. */
const MAX_INPUTS = 7;
let installed = false;

export function installChunkedWebgpuAddN(): void {
  const stock = getKernel('AddN', 'webgpu');
  if (installed || !stock) return;
  installed = true;
  const stockFunc = stock.kernelFunc;
  const chunked: KernelConfig = {
    ...stock,
    kernelFunc: (args) => {
      const backend = args.backend as { disposeData(dataId: object): void };
      const add = (list: TensorInfo[]): TensorInfo => {
        if (list.length <= MAX_INPUTS)
          return stockFunc({ ...args, inputs: list as unknown as NamedTensorInfoMap }) as TensorInfo;
        const partials: TensorInfo[] = [];
        for (let i = 0; i < list.length; i += MAX_INPUTS) partials.push(add(list.slice(i, i + MAX_INPUTS)));
        const sum = add(partials);
        for (const p of partials) backend.disposeData(p.dataId);
        return sum;
      };
      return add(Object.values(args.inputs) as TensorInfo[]);
    },
  };
  unregisterKernel('AddN', 'webgpu');
  registerKernel(chunked);
}
