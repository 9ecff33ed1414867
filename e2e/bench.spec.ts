// The bench page (bench.html) works, in the page and in its worker: one small row on wasm, the
// fastest backend here, with the tf.layers baseline, gives finite positive figures and leaks no
// tensors; a query it cannot run ends as 'failed' with the reason instead of hanging.
// The full browser table is e2e/bench.measure.ts (MEASURE=1).
import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import type { BenchResult } from '../dev/bench/bench-protocol';
import { collectPageErrors } from './helpers';

async function finishedBench(page: Page, timeout: number): Promise<BenchResult> {
  await expect(page.getByTestId('bench-status')).not.toHaveAttribute('data-status', 'running', { timeout });
  return page.evaluate(() => (globalThis as unknown as { benchResult: BenchResult }).benchResult);
}

for (const place of ['page', 'worker'] as const) {
  test(`bench.html measures a tiny row on wasm in the ${place}`, async ({ page }) => {
    test.setTimeout(90_000);
    const errors = collectPageErrors(page);
    await page.goto(`/bench.html?backend=wasm&preset=tiny&runs=1&baseline=1&where=${place}`);
    const result = await finishedBench(page, 80_000);
    expect(result.error).toBeNull();
    expect(result.status).toBe('done');
    expect(result.request).toMatchObject({ backend: 'wasm', preset: 'tiny', runs: 1, place, baseline: true });
    expect(result.backendInfo?.backend).toBe('wasm');

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

test('bench.html reports a query it cannot run as failed, with the reason', async ({ page }) => {
  await page.goto('/bench.html?backend=tpu&where=worker');
  const result = await finishedBench(page, 10_000);
  expect(result.status).toBe('failed');
  expect(result.error).toContain('unknown backend "tpu"');
  await expect(page.getByTestId('bench-status')).toContainText('failed: unknown backend "tpu"');
});
