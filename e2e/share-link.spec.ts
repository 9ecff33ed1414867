// The page's state in its URL: "Copy link" gives a link that, opened in a fresh browser context,
// shows the same code, task, mode and Train settings; a broken link opens the defaults with a
// message; code over 20 kB is left out of the link, with a message on both ends.
import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { collectPageErrors, snap } from './helpers';

const MINE = 'def mine(a, b):\n    total = a - b\n    return total\n';

async function setCode(page: Page, code: string): Promise<void> {
  await page.getByTestId('code-input').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

/** The model is not needed to restore a link: its files are refused, which saves the CPU. */
async function open(page: Page, url: string): Promise<void> {
  await page.route('**/models/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'LSTM Coding Optimizer' })).toBeVisible();
}

async function copyLink(page: Page): Promise<string> {
  await page.getByTestId('copy-link').click();
  const status = page.getByTestId('copy-link-status');
  await expect(status).toHaveAttribute('data-link', /#s=/);
  return (await status.getAttribute('data-link'))!;
}

test('a copied link restores code, task, mode and the Train settings in a fresh context', async ({
  browser,
  page,
  context,
  policyViolations,
}) => {
  const errors = collectPageErrors(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, '/?backend=wasm');
  await page.getByTestId('task-select').selectOption('complete');
  await page.getByTestId('mode-select').selectOption('hybrid');
  await setCode(page, MINE);
  await page.getByTestId('train-tab').click();
  await page.getByTestId('train-model-tiny').check();
  await page.getByTestId('train-max-steps').fill('7');
  await page.getByTestId('train-data-source').selectOption('jsonl');
  const link = await copyLink(page);
  expect(
    await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    ),
  ).toBe(link);
  expect(link).toContain('?backend=wasm#s=');

  const fresh = await browser.newContext();
  await policyViolations.watch(fresh);
  const other = await fresh.newPage();
  const otherErrors = collectPageErrors(other);
  await open(other, link);
  await expect(other.getByTestId('task-select')).toHaveValue('complete');
  await expect(other.getByTestId('mode-select')).toHaveValue('hybrid');
  await expect(other.getByTestId('code-input')).toContainText('total = a - b');
  await other.getByTestId('train-tab').click();
  await expect(other.getByTestId('train-model-tiny')).toBeChecked();
  await expect(other.getByTestId('train-max-steps')).toHaveValue('7');
  await expect(other.getByTestId('train-data-source')).toHaveValue('jsonl');
  // The files are never in a link: the restored source asks for them again.
  await expect(other.getByTestId('link-message')).toContainText('pick them again');
  await snap(other, 'share-link-restored');
  await fresh.close();
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('a broken or truncated link opens the default state with a message', async ({ page }) => {
  const errors = collectPageErrors(page);
  await open(page, '/');
  await page.getByTestId('task-select').selectOption('generate');
  const link = await copyLink(page);
  for (const broken of [
    link.slice(0, link.length - 12),
    `${link.split('#')[0]}#s=%%%not-base64`,
    `${link.split('#')[0]}#s=AAAA`,
  ]) {
    await page.goto('about:blank');
    await open(page, broken);
    await expect(page.getByTestId('link-message')).toContainText('could not be read');
    await expect(page.getByTestId('task-select')).toHaveValue('fix');
    await expect(page.getByTestId('code-input')).toContainText('def ');
  }
  await snap(page, 'share-link-broken');
  expect(errors).toEqual([]);
});

test('code over 20 kB is left out of the link, and the link says so when opened', async ({ page }) => {
  await open(page, '/');
  await page.getByTestId('mode-select').selectOption('divergent');
  const long = `def big(x):\n${'    x = x + 1\n'.repeat(1500)}    return x\n`;
  await setCode(page, long);
  const link = await copyLink(page);
  await expect(page.getByTestId('copy-link-status')).toContainText('over 20 kB');
  expect(link.length).toBeLessThan(2000);
  await page.goto('about:blank');
  await open(page, link);
  await expect(page.getByTestId('mode-select')).toHaveValue('divergent');
  await expect(page.getByTestId('link-message')).toContainText('left the code out');
});
