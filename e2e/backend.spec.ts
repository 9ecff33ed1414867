import { expect, test } from './fixture';
import { collectPageErrors, expectBackend, snap } from './helpers';

test('on a software GPU (SwiftShader) starts on wasm, and says why WebGPU was passed over', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'LSTM Coding Optimizer' })).toBeVisible();
  await expectBackend(page, 'backend', 'wasm');
  await expectBackend(page, 'worker-backend', 'wasm');
  const webgpu = page.getByTestId('backend-fallback').filter({ hasText: 'webgpu not used' });
  await expect(webgpu).toContainText(/software-rendered GPU \(swiftshader/i);
  await expect(webgpu).toContainText('?backend=webgpu');
  await snap(page, 'backend-default-wasm');
  expect(errors).toEqual([]);
});

test('?backend=webgpu starts on WebGPU in the page and in the worker, and names the adapter', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/?backend=webgpu');
  await expect(page.getByRole('heading', { name: 'LSTM Coding Optimizer' })).toBeVisible();
  await expectBackend(page, 'backend', 'webgpu');
  await expectBackend(page, 'worker-backend', 'webgpu');
  // The adapter (vendor / architecture) is shown beside the backend name.
  await expect(page.getByTestId('backend')).toContainText(/webgpu · \S+ \/ \S+/);
  await expect(page.getByTestId('backend-fallback')).toHaveCount(0);
  await snap(page, 'backend-webgpu');
  expect(errors).toEqual([]);
});

for (const backend of ['wasm', 'cpu'] as const) {
  test(`?backend=${backend} is honoured in the page and in the worker`, async ({ page }) => {
    const errors = collectPageErrors(page);
    await page.goto(`/?backend=${backend}`);
    await expectBackend(page, 'backend', backend);
    await expectBackend(page, 'worker-backend', backend);
    await expect(page.getByTestId('backend')).toContainText(backend);
    await snap(page, `backend-${backend}`);
    expect(errors).toEqual([]);
  });
}

test('an unknown ?backend= is reported and the best backend runs', async ({ page }) => {
  await page.goto('/?backend=tpu');
  await expectBackend(page, 'backend', 'wasm');
  await expect(page.getByTestId('backend-fallback').first()).toContainText('unknown backend "tpu"');
});
