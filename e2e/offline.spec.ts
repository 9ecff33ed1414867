// After the first visit the app works offline: the service worker (dist/sw.js) serves the app shell
// and the inference worker finds the shipped model in the Cache API. The context goes offline, the
// page reloads, and the shipped model answers a fix.
import { expect, test } from './fixture';
import { collectPageErrors, expectBackend } from './helpers';
import { runAndWait, waitForModel } from './playground-helpers';

test.use({ serviceWorkers: 'allow' });

test('offline after the first visit: a reload still loads the app and the model, and answers a fix', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  // The shell is cached once the service worker is active and controls the page.
  await page.evaluate(async () => {
    const sw = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator
      .serviceWorker;
    await sw.ready;
  });
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker
            .controller !== null,
      ),
    )
    .toBe(true);
  const caches = await page.evaluate(() =>
    (globalThis as unknown as { caches: { keys(): Promise<string[]> } }).caches.keys(),
  );
  expect(caches.filter((name) => name.startsWith('lco-shell-'))).toHaveLength(1);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'LSTM Coding Optimizer' })).toBeVisible();
  await expectBackend(page, 'backend', 'wasm');
  await waitForModel(page);
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-from-cache', 'true');
  await page.getByTestId('example-fix-missing-colon').click();
  await runAndWait(page);
  expect(await page.getByTestId('answer').getAttribute('data-text')).toContain('for n in numbers:');
  await context.setOffline(false);
  expect(errors).toEqual([]);
});
