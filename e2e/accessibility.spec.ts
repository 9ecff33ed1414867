// axe-core (WCAG 2 A and AA, and its best practices) on both tabs with their content showing: the
// playground with an answer, the Train tab with a run's charts. Zero violations.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { collectPageErrors } from './helpers';
import { runAndWait, serveTiny, waitForModel } from './playground-helpers';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  // One line per violation and element, so a failure says what to fix and where.
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}`),
  );
}

test('axe-core finds no violation on the playground (answer showing) or the Train tab (charts showing)', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = collectPageErrors(page);
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await runAndWait(page);
  await expect(page.getByTestId('answer')).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.getByTestId('train-tab').click();
  await expect(page.getByTestId('data-summary')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  await page.getByTestId('train-model-tiny').check();
  for (const [testId, value] of Object.entries({
    'train-max-steps': '6',
    'train-eval-interval': '3',
    'train-eval-sample': '1',
  })) {
    await page.getByTestId(testId).fill(value);
  }
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'ended', { timeout: 200_000 });
  await expect(page.getByTestId('loss-chart').locator('svg path.recharts-curve').first()).toBeVisible();
  expect(await violations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
