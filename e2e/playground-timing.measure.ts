// Timing figures, not a test: runs only with MEASURE=1 (playwright.config.ts matches *.measure.ts
// then): MEASURE=1 npx playwright test e2e/playground-timing.measure.ts
import { test } from '@playwright/test';
import { runAndWait, serveTiny, waitForModel } from './playground-helpers';

test('measures time to first answer (cold and cached) and decode time per step', async ({ browser }) => {
  test.setTimeout(600_000);
  const figures: Record<string, unknown>[] = [];
  for (const backend of ['webgpu', 'wasm'] as const) {
    const context = await browser.newContext(); // a fresh cache: the first load is cold
    const page = await context.newPage();
    await serveTiny(page);
    for (const load of ['cold', 'cached'] as const) {
      const started = Date.now();
      if (load === 'cold') await page.goto(`/?backend=${backend}`);
      else await page.reload();
      await waitForModel(page);
      const readyMs = Date.now() - started;
      await runAndWait(page);
      const firstAnswerMs = Date.now() - started;
      const timing = JSON.parse((await page.getByTestId('load-timing').getAttribute('data-timing'))!);
      const perStep: number[] = [];
      for (let i = 0; i < 3; i++) {
        await runAndWait(page);
        perStep.push(Number(await page.getByTestId('latency').getAttribute('data-ms-per-step')));
      }
      const steps = Number(await page.getByTestId('latency').getAttribute('data-steps'));
      const fromCache = await page.getByTestId('model-info').getAttribute('data-from-cache');
      figures.push({
        backend,
        load,
        fromCache,
        readyMs,
        firstAnswerMs,
        loadTiming: timing,
        msPerStep: perStep,
        stepsPerRun: steps,
      });
    }
    await context.close();
  }
  console.log(`MEASURE ${JSON.stringify(figures, null, 1)}`);
  test.info().annotations.push({ type: 'figures', description: JSON.stringify(figures) });
});
