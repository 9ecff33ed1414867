// What both workers do about their GPU device: report its loss to the page (which replaces the
// worker and says so), and the test hooks that make a worker fail on purpose (offered by the page
// only with ?crash-test or ?train-faults).
import * as tf from '@tensorflow/tfjs-core';
import type { WorkerFault } from './protocol';

export type { WorkerFault };

function webgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/**
 * Calls `report` once if the WebGPU device is lost. Every reason counts, 'destroyed' included:
 * the workers never destroy their device themselves (they are terminated instead), so a destroyed
 * device is one taken away from them.
 */
export function watchDevice(report: (message: string) => void): void {
  webgpuDevice()?.lost.then((info) =>
    report(`the GPU device was lost (${info.message || info.reason || 'no reason given'})`),
  );
}

/**
 * Whether the WebGPU device is lost, or is lost within `withinMs`. A step running when the device
 * goes can throw first (a pending mapAsync fails with "Buffer was unmapped before mapping was
 * resolved") and `lost` settles a moment later: such an error is the device loss, not a bug.
 */
export async function isDeviceLost(withinMs = 1000): Promise<boolean> {
  const device = webgpuDevice();
  if (!device) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), withinMs);
  });
  try {
    return await Promise.race([device.lost.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function injectWorkerFault(fault: WorkerFault, worker: string): void {
  switch (fault) {
    case 'crash':
      // Thrown from a timer, outside any handler, so it reaches the page as the worker's onerror.
      setTimeout(() => {
        throw new Error(`crash test: the ${worker} worker threw on purpose`);
      });
      return;
    case 'lose-device': {
      const device = webgpuDevice();
      if (!device)
        throw new Error(`the lost-device test needs the webgpu backend; this worker runs on ${tf.getBackend()}`);
      device.destroy(); // from here on, the same path as a device the browser takes away
      return;
    }
  }
}
