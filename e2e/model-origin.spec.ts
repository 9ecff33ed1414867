import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { tinyModelFolder } from './fixtures/make-tiny-model';
import { collectPageErrors, serveModelFolder, snap } from './helpers';
import { waitForModel } from './playground-helpers';

// `?models=` on another origin: nothing is requested there before the person agrees in a dialog
// naming the origin; after "Load" the model comes from there, the page says so, a copied link says
// it carries that origin, and a remembered origin can be forgotten. The other origin is
// 127.0.0.1 on a port nothing listens on, answered by page.route (with CORS headers, as a real
// server of model files needs); the page itself is on localhost.

const FOREIGN_ORIGIN = 'http://127.0.0.1:4988';
const FOREIGN_FOLDER = `${FOREIGN_ORIGIN}/shared-models/`;

/** Serves the tiny model from the other origin and logs every request that reaches it. */
async function serveForeignModel(page: Page): Promise<string[]> {
  const files = await tinyModelFolder();
  const requests: string[] = [];
  await page.route(`${FOREIGN_ORIGIN}/**`, async (route) => {
    const request = route.request();
    const file = new URL(request.url()).pathname.split('/').pop() ?? '';
    requests.push(`${request.method()} ${file}`);
    const body = files[file];
    const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'etag' };
    if (!body) return route.fulfill({ status: 404, headers: cors, body: 'not here' });
    await route.fulfill({
      status: 200,
      headers: {
        ...cors,
        'content-type': 'application/octet-stream',
        'cache-control': 'no-cache',
        etag: `"${body.length}"`,
      },
      body: request.method() === 'HEAD' ? '' : body,
    });
  });
  return requests;
}

test('a model folder on another origin waits for the person, loads once allowed, and can be forgotten', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const foreignRequests = await serveForeignModel(page);
  const own = await serveModelFolder(page, await tinyModelFolder());
  const url = `/?backend=wasm&models=${encodeURIComponent(FOREIGN_FOLDER)}`;
  await page.goto(url);

  const dialog = page.getByTestId('model-origin-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('model-origin-dialog-origin')).toHaveText(FOREIGN_ORIGIN);
  await expect(page.getByTestId('model-origin')).toHaveAttribute('data-decision', 'ask');
  // The worker is up and waiting: had it been going to fetch, it would have by now.
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  expect(foreignRequests).toEqual([]);
  expect(own.requests).toEqual([]);
  await snap(page, 'model-origin-dialog');

  await page.getByTestId('model-origin-remember').check();
  await page.getByTestId('model-origin-allow').click();
  await expect(dialog).toBeHidden();
  await waitForModel(page);
  // The three model files, and the two optional name files (docs/design.md#name-files).
  expect(foreignRequests.filter((r) => r.startsWith('GET ')).sort()).toEqual(
    [
      'GET identifiers.json',
      'GET lstm_weights.bin',
      'GET model_config.toml',
      'GET stdlib_members.json',
      'GET tokenizer.json',
    ].sort(),
  );
  expect(own.requests).toEqual([]);
  await expect(page.getByTestId('model-origin')).toHaveText(`Model from ${FOREIGN_ORIGIN} (another site)`);
  await expect(page.getByTestId('model-source')).toHaveText(`the model at ${FOREIGN_FOLDER}`);
  await expect(page.getByTestId('model-folder-origin')).toHaveAttribute('data-remembered', 'true');
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link-status')).toContainText(
    `It loads the model from ${FOREIGN_ORIGIN}, another site: whoever opens it is asked first.`,
  );
  await snap(page, 'model-origin-allowed');

  // Remembered: the next visit loads at once; forgotten: the visit after asks again.
  await page.reload();
  await expect(dialog).toBeHidden();
  await waitForModel(page);
  await page.getByTestId('forget-model-origin').click();
  await expect(page.getByTestId('model-folder-origin')).toContainText('the next visit asks again');
  const before = foreignRequests.length;
  await page.reload();
  await expect(dialog).toBeVisible();
  await page.getByTestId('model-origin-decline').click();
  await waitForModel(page);
  await expect(page.getByTestId('model-source')).toHaveText('the shipped model');
  await expect(page.getByTestId('model-origin')).toHaveText('Model from this site');
  expect(foreignRequests.length).toBe(before);
  expect(own.downloads('lstm_weights.bin')).toBe(1);
  await snap(page, 'model-origin-declined');
  expect(errors).toEqual([]);
});

test('a model folder on the page’s own origin loads without a question', async ({ page }) => {
  const own = await serveModelFolder(page, await tinyModelFolder());
  // Encoded: page.route's models/ glob would match the page's own address otherwise.
  await page.goto(`/?backend=wasm&models=${encodeURIComponent('/models/')}`);
  await waitForModel(page);
  await expect(page.getByTestId('model-origin-dialog')).toBeHidden();
  await expect(page.getByTestId('model-origin')).toHaveAttribute('data-origin', 'self');
  expect(own.downloads('lstm_weights.bin')).toBe(1);
});
