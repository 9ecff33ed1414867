import { expect, test } from './fixture';
import { BASE_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { collectPageErrors, snap } from './helpers';

// A browser started without --enable-unsafe-webgpu has no WebGPU: asking for it must fall back
// with the reason on screen, never a blank page.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: BASE_ARGS } });

test('?backend=webgpu without WebGPU falls back and says why', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/?backend=webgpu');
  const badge = page.getByTestId('backend');
  await expect(badge).not.toHaveAttribute('data-backend', 'starting');
  await expect(badge).not.toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('backend-fallback').first()).toContainText('webgpu not used');
  await expect(page.getByTestId('backend-fallback').first()).toContainText('navigator.gpu');
  const worker = page.getByTestId('worker-backend');
  await expect(worker).not.toHaveAttribute('data-backend', 'starting');
  await expect(worker).not.toHaveAttribute('data-backend', 'webgpu');
  await snap(page, 'backend-fallback');
  expect(errors).toEqual([]);
});
