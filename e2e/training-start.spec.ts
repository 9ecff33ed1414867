import { expect, test } from './fixture';
import { collectPageErrors, snap } from './helpers';

// Start always starts: a press of Start before the training worker can take a run (its script, its
// backend or the data for the form not ready yet) is kept, the button says what it waits for, and
// the run begins once the worker is ready. The worker's script is held back here, so the press
// lands, deterministically, before the worker exists.

test('Start pressed before the training worker is up waits, says why, and then the run starts', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  await page.route('**/models/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  let releaseWorker = () => {};
  const held = new Promise<void>((resolve) => (releaseWorker = resolve));
  let workerRequested = false;
  await page.route('**/assets/training.worker-*.js', async (route) => {
    workerRequested = true;
    await held;
    await route.continue();
  });

  await page.goto('/?backend=wasm');
  await page.getByTestId('train-tab').click();
  await expect.poll(() => workerRequested, { timeout: 60_000 }).toBe(true);
  // The choice changes the data options too (the tiny model reads shorter functions).
  await page.getByTestId('train-model-tiny').check();
  await page.getByTestId('train-eval-interval').fill('50');
  await page.getByTestId('train-eval-sample').fill('0');

  const start = page.getByTestId('train-start');
  await expect(page.getByTestId('train-start-note')).toHaveAttribute('data-kind', 'wait');
  await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', 'starting');
  await snap(page, 'training-start-note-wait');
  await start.click({ timeout: 5_000 });
  await expect(start).toHaveAttribute('data-waiting', 'backend');
  await expect(start).toHaveText('Waiting for the backend…');
  await expect(start).toBeDisabled();
  await expect(page.getByTestId('train-status')).toHaveText(
    "Start pressed: the run begins once the training worker's backend is up.",
  );
  await snap(page, 'training-start-waits');

  releaseWorker();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'running', { timeout: 120_000 });
  await expect(start).toHaveText('Start training');
  await expect
    .poll(async () => Number(await page.getByTestId('train-step').textContent()), { timeout: 120_000 })
    .toBeGreaterThan(0);
  // The run trains on the data the form shows: the data prepared for the tiny model's choice.
  await expect(page.getByTestId('data-summary')).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'ended', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('Start pressed right after a choice that changes the data starts on that data', async ({ page }) => {
  test.setTimeout(240_000);
  await page.route('**/models/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto('/?backend=wasm');
  await page.getByTestId('train-tab').click();
  await expect(page.getByTestId('data-summary')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  const firstTrain = await page.getByTestId('data-summary').getAttribute('data-train');

  // Within the form's debounce: the page has not asked for the new data yet when Start is pressed.
  await page.getByTestId('train-model-tiny').check();
  await page.getByTestId('data-functions').fill('300');
  await page.getByTestId('train-start').click({ timeout: 1_000 });
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'running', { timeout: 120_000 });
  const figures = page.getByTestId('train-figures');
  const fewerTrain = await page.getByTestId('data-summary').getAttribute('data-train');
  // Half the functions: fewer examples, and the run's figures name the same count.
  expect(Number(fewerTrain)).toBeLessThan(Number(firstTrain));
  await expect(figures).toContainText(`${fewerTrain} train /`);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'ended', { timeout: 60_000 });
});
