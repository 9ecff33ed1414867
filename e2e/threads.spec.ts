import { expect, test } from './fixture';
import { collectPageErrors, expectBackend } from './helpers';

// Threads on wasm: preview serves the app cross-origin isolated (tools/cross-origin-isolation.ts),
// so the production build runs tfjs's threaded SIMD build; the training worker takes the page's
// whole thread budget (the machine's cores, at most the 8 threads tfjs's pool has), the inference
// worker half of it, and each badge shows the count the backend reports.

/** tfjs's pool holds 8 threads: no backend runs more. */
const TFJS_POOL_THREADS = 8;

test('the page is cross-origin isolated and training on wasm runs on every core', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/?backend=wasm');
  // The specs' realm has no DOM types: the page's globals are read through globalThis.
  expect(await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(
    () => (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator.hardwareConcurrency,
  );
  await expectBackend(page, 'worker-backend', 'wasm');
  await page.getByTestId('train-tab').click();
  await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  const training = Number(await page.getByTestId('train-backend').getAttribute('data-threads'));
  expect(training).toBe(Math.min(cores, TFJS_POOL_THREADS));
  if (cores > 1) expect(training).toBeGreaterThan(1);
  await expect(page.getByTestId('train-backend')).toContainText(`wasm · ${training} thread`);
  const inference = Number(await page.getByTestId('worker-backend').getAttribute('data-threads'));
  expect(inference).toBe(Math.min(TFJS_POOL_THREADS, Math.max(1, Math.floor(cores / 2))));
  expect(errors).toEqual([]);
});

test('?threads=1 runs both workers on one thread', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/?backend=wasm&threads=1');
  await expectBackend(page, 'worker-backend', 'wasm');
  await expect(page.getByTestId('worker-backend')).toHaveAttribute('data-threads', '1');
  await page.getByTestId('train-tab').click();
  await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  await expect(page.getByTestId('train-backend')).toHaveAttribute('data-threads', '1');
  await expect(page.getByTestId('train-backend')).toContainText('wasm · 1 thread');
  expect(errors).toEqual([]);
});
