// The bench page (bench.html) works, in the page and in its worker: one small row on wasm, the
// fastest backend here, with the tf.layers baseline, gives finite positive figures and leaks no
// tensors; the page is cross-origin isolated (dev/vite.config.ts), so wasm runs on the machine's
// cores unless `threads=` says otherwise, and the page shows the count the backend reports; a query
// it cannot run ends as 'failed' with the reason instead of hanging.
// The full browser table is e2e/bench.measure.ts (MEASURE=1).
import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import type { BenchResult } from '../dev/bench/bench-protocol';
import { collectPageErrors } from './helpers';

/** How long a tiny row may take. */
const ROW_LIMIT_MS = 200_000;

/** tfjs's pool holds 8 threads: no backend runs more. */
const TFJS_POOL_THREADS = 8;

async function finishedBench(page: Page, timeout: number): Promise<BenchResult> {
  await expect(page.getByTestId('bench-status')).not.toHaveAttribute('data-status', 'running', { timeout });
  return page.evaluate(() => (globalThis as unknown as { benchResult: BenchResult }).benchResult);
}

for (const place of ['page', 'worker'] as const) {
  test(`bench.html measures a tiny row on wasm in the ${place}`, async ({ page }) => {
    // In the page, the page's own thread joins the pool and waits for its threads by spinning: on a
    // loaded 2-core machine the row took over two minutes.
    test.setTimeout(ROW_LIMIT_MS + 10_000);
    const errors = collectPageErrors(page);
    await page.goto(`/bench.html?backend=wasm&preset=tiny&runs=1&baseline=1&where=${place}`);
    const result = await finishedBench(page, ROW_LIMIT_MS);
    expect(result.error).toBeNull();
    expect(result.status).toBe('done');
    expect(result.request).toMatchObject({ backend: 'wasm', preset: 'tiny', runs: 1, place, baseline: true });
    expect(result.backendInfo?.backend).toBe('wasm');
    // Isolated, so the threaded build runs with the machine's cores (the page's default budget).
    const cores = await page.evaluate(
      () => (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator.hardwareConcurrency,
    );
    expect(result.backendInfo?.crossOriginIsolated).toBe(true);
    expect(result.backendInfo?.threads).toBe(Math.min(cores, TFJS_POOL_THREADS));
    expect(result.row?.environment).toMatchObject({ crossOriginIsolated: true, threads: result.backendInfo?.threads });
    await expect(page.getByTestId('bench-threads')).toHaveAttribute(
      'data-threads',
      String(result.backendInfo?.threads),
    );

    const row = result.row!;
    expect(row.backend).toBe('wasm');
    expect(row.preset).toBe('tiny');
    const figures = {
      parameters: row.parameters,
      trainStepMs: row.trainStepMs,
      tokensPerSecond: row.tokensPerSecond,
      greedyMsPerToken: row.greedyMsPerToken,
      beam5MsPerAnswer: row.beam5MsPerAnswer,
      loadMs: row.loadMs,
      baselineParameters: row.baseline?.parameters,
      baselineTrainStepMs: row.baseline?.trainStepMs,
      baselineGreedyMsPerToken: row.baseline?.greedyMsPerToken,
    };
    for (const [name, value] of Object.entries(figures)) {
      expect(Number.isFinite(value), name).toBe(true);
      expect(value, name).toBeGreaterThan(0);
    }
    expect(row.tensorsAfter).toBe(row.tensorsBefore);
    // The JSON in the page is the same result.
    expect(JSON.parse((await page.getByTestId('bench-result').textContent())!)).toMatchObject({
      status: 'done',
      row: { preset: 'tiny', backend: 'wasm' },
    });
    expect(errors).toEqual([]);
  });
}

test('bench.html?threads=1 runs wasm on one thread and says so', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = collectPageErrors(page);
  await page.goto('/bench.html?backend=wasm&preset=tiny&runs=1&baseline=0&profile=0&where=worker&threads=1');
  const result = await finishedBench(page, 80_000);
  expect(result.error).toBeNull();
  expect(result.request).toMatchObject({ threads: 1, profile: false });
  expect(result.backendInfo).toMatchObject({ threads: 1, crossOriginIsolated: true });
  expect(result.row?.profile).toBeNull();
  expect(result.row?.floorMs).toBeNull();
  await expect(page.getByTestId('bench-threads')).toHaveText('1');
  await expect(page.getByTestId('bench-request')).toContainText('1 thread(s) asked');
  expect(errors).toEqual([]);
});

test('bench.html reports a query it cannot run as failed, with the reason', async ({ page }) => {
  await page.goto('/bench.html?backend=tpu&where=worker');
  const result = await finishedBench(page, 10_000);
  expect(result.status).toBe('failed');
  expect(result.error).toContain('unknown backend "tpu"');
  await expect(page.getByTestId('bench-status')).toContainText('failed: unknown backend "tpu"');
  await page.goto('/bench.html?backend=wasm&threads=0');
  expect((await finishedBench(page, 10_000)).error).toContain('threads must be a whole number from 1 to 64');
});
