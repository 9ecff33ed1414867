import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const SCREENSHOT_DIR = 'e2e/screenshots';

/** Saves a full-page screenshot under e2e/screenshots/NAME.png for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

/** Fails the test on any uncaught error in the page or its workers. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function expectBackend(page: Page, testId: string, backend: string): Promise<void> {
  await expect(page.getByTestId(testId)).toHaveAttribute('data-backend', backend);
}
