// Shared by the playground specs and the timing measurement.
import { expect, type Page } from '@playwright/test';
import { tinyModelFolder } from './fixtures/make-tiny-model';
import { serveModelFolder, type ServedModelFolder } from './helpers';

export const LOAD_TIMEOUT = 150_000;

export async function serveTiny(page: Page): Promise<ServedModelFolder> {
  return serveModelFolder(page, await tinyModelFolder());
}

export async function waitForModel(page: Page): Promise<void> {
  await expect(page.getByTestId('load-progress')).toHaveAttribute('data-phase', 'ready', { timeout: LOAD_TIMEOUT });
}

/** Clicks Run (or runs `trigger`) and waits for the next answer. */
export async function runAndWait(page: Page, trigger?: () => Promise<void>): Promise<void> {
  const output = page.getByTestId('output');
  const before = Number(await output.getAttribute('data-answers'));
  await (trigger ? trigger() : page.getByTestId('run').click());
  await expect(output).toHaveAttribute('data-answers', String(before + 1), { timeout: LOAD_TIMEOUT });
}
