import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { existsSync } from 'node:fs';
import { collectPageErrors, SCREENSHOT_DIR, snap } from './helpers';
import { runAndWait, serveTiny, waitForModel } from './playground-helpers';

// Real code in the playground: a whole file with two bugs far apart, fixed by the shipped model on
// wasm through windows (src/model/fix/whole-file.ts), and text that is not Python, refused.

async function setCode(page: Page, code: string): Promise<void> {
  const editor = page.getByTestId('code-input');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (code) await page.keyboard.insertText(code);
}

/** A 200+-line module of small typed functions; `bugs` breaks two of them. */
export function moduleText(count: number, bugs = false): string {
  const parts = ['import os', 'from typing import Optional', '', 'LIMIT = 10', '', ''];
  for (let i = 0; i < count; i++) {
    const header = `def total_of_${i}(values: list[int], name: Optional[str] = None) -> int:`;
    parts.push(
      bugs && i === 5 ? header.slice(0, -1) : header,
      '    total = 0',
      '    for value in values:',
      '        if value > LIMIT:',
      '            total += value',
      bugs && i === 21 ? '    return totl' : '    return total',
      '',
      '',
    );
  }
  return `${parts.join('\n')}\n`;
}

test('shipped model on wasm: a pasted 200-line file with two bugs comes back with both fixed, each edit listed', async ({
  page,
}) => {
  expect(
    existsSync('public/models/lstm_weights.bin'),
    'the shipped model public/models/lstm_weights.bin is missing',
  ).toBe(true);
  const errors = collectPageErrors(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  const buggy = moduleText(25, true);
  expect(buggy.split('\n').length).toBeGreaterThan(200);
  await setCode(page, buggy);
  await runAndWait(page);
  await expect(page.getByTestId('answer')).toHaveAttribute('data-text', moduleText(25));
  const edits = page.getByTestId('edit');
  await expect(edits).toHaveCount(2);
  await expect(edits.nth(0)).toHaveAttribute('data-why', 'parse error');
  await expect(edits.nth(1)).toHaveAttribute('data-why', 'suspect name');
  // The diff shows both edits: two removed lines and two added ones.
  await expect(page.getByTestId('answer').locator('[data-kind="removed"]')).toHaveCount(2);
  await expect(page.getByTestId('answer').locator('[data-kind="added"]')).toHaveCount(2);
  await expect(page.getByTestId('truncation')).toHaveCount(0);
  await snap(page, 'fix-real-code-file');
  // What the search considered: the texts it built and those that compiled, its first five candidates.
  const considered = page.getByTestId('search-considered');
  await considered.locator('summary').click();
  const counts = page.getByTestId('search-counts');
  await expect(counts).toContainText(/candidate texts built, [\d,]+ compiled, [\d,]+ ranked over \d+ passes/);
  const generated = Number(await counts.getAttribute('data-generated'));
  const compiled = Number(await counts.getAttribute('data-compiled'));
  expect(compiled).toBeGreaterThan(0);
  expect(generated).toBeGreaterThan(compiled);
  await expect(considered.getByTestId('search-top-candidate')).toHaveCount(5);
  await expect(considered.getByTestId('search-top-candidate').first()).toContainText('rule');
  await considered.screenshot({ path: `${SCREENSHOT_DIR}/fix-real-code-search-considered.png` });
  expect(errors).toEqual([]);
});

test('text that is not Python is refused with a message that says so, and the page stays usable', async ({ page }) => {
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await setCode(page, 'Dear model, please make my spreadsheet faster (thanks!');
  await page.getByTestId('run').click();
  const error = page.getByTestId('error');
  await expect(error).toContainText(/Not Python: /);
  await expect(error).toHaveAttribute('role', 'alert');
  await snap(page, 'fix-real-code-not-python');
  await page.getByTestId('example-fix-misspelled-name').click();
  await runAndWait(page);
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('answer')).toBeVisible();
});
