// The fused WebGPU LSTM cell against the reference plain ops, in Chromium on WebGPU (SwiftShader):
// kernel-check.html runs the comparisons (forward, gradients of the gates, three chained steps with
// the recurrent matMul) on B=3 H=8 and B=32 H=256, and times one step fused and not; and the
// direct matmul and reductions that SwiftShader gets against tfjs's own programs.
import { expect, test } from './fixture';
import { collectPageErrors, snap } from './helpers';

interface KernelCheck {
  status: string;
  backend: string | null;
  tolerance: number;
  maxErrors: Record<string, number>;
  tensorsLeaked: number | null;
  directMatMul?: boolean;
  timings: null | { step: CostComparison; gates: CostComparison };
  error?: string;
}
interface CostComparison {
  fused: Cost;
  reference: Cost;
  forwardRatio: number;
  forwardBackwardRatio: number;
}
interface Cost {
  forwardMs: number;
  forwardBackwardMs: number;
  forwardDispatches: number | null;
  forwardBackwardDispatches: number | null;
}

const OUTPUTS = {
  gates: ['h', 'c', 'dz', 'dc', 'dz(h only)', 'dc(h only)'],
  chain3: ['h', 'c', 'dx', 'dh0', 'dc0', 'dRecurrent'],
};

test('the fused LSTM cell matches the reference on WebGPU, forward and backward, and needs fewer dispatches', async ({
  page,
}) => {
  // SwiftShader compiles each shader on the CPU: the first run of every program takes seconds.
  test.setTimeout(300_000);
  const errors = collectPageErrors(page);
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/kernel-check.html');
  await expect(page.getByTestId('kernel-check-backend')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('kernel-check-status')).not.toHaveAttribute('data-status', 'running', {
    timeout: 280_000,
  });
  const check = await page.evaluate(() => (globalThis as unknown as { kernelCheck: KernelCheck }).kernelCheck);
  await snap(page, 'kernel-check-webgpu');
  console.log(JSON.stringify(check, null, 2));

  expect(check.error).toBeUndefined();
  expect(check.backend).toBe('webgpu');
  // Every output of every shape was compared, and each is within 1e-4 (relative above 1).
  for (const shape of ['B3 H8', 'B32 H256']) {
    for (const [kind, names] of Object.entries(OUTPUTS)) {
      for (const name of names) {
        const key = `${kind} ${shape} ${name}`;
        expect(check.maxErrors[key], key).toBeLessThan(1e-4);
      }
    }
  }
  // On SwiftShader (this machine, CI) the project's direct matmul and reductions run every multiply,
  // sum, mean and max: each case, values and gradients (values only where a matmul batch
  // broadcasts), within 1e-4 of tfjs's own.
  expect(check.directMatMul).toBe(true);
  const directCases = Object.keys(check.maxErrors).filter((key) => key.startsWith('direct '));
  expect(directCases.length).toBe(17 * 3 + 2 + 13 * 2 + 2 + 4);
  for (const key of directCases) expect(check.maxErrors[key], key).toBeLessThan(1e-4);
  // The encoder's masked step (webgpu-lstm-masked.ts): one step and a masked layer both ways.
  const maskedCases = Object.keys(check.maxErrors).filter((key) => key.startsWith('masked '));
  expect(maskedCases.length).toBe(2 * (6 + 2 * 5));
  for (const key of maskedCases) expect(check.maxErrors[key], key).toBeLessThan(1e-4);
  expect(check.tensorsLeaked).toBe(0);
  expect(check.status).toBe('passed');

  // The point of fusing: far fewer programs per step, forward and backward.
  expect(check.timings).not.toBeNull();
  for (const what of ['step', 'gates'] as const) {
    const { fused, reference } = check.timings![what];
    expect(fused.forwardDispatches, what).not.toBeNull();
    expect(fused.forwardDispatches!, what).toBeLessThan(reference.forwardDispatches!);
    expect(fused.forwardBackwardDispatches!, what).toBeLessThan(reference.forwardBackwardDispatches!);
  }
  expect(errors).toEqual([]);
});
