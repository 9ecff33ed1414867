// Fix latency of the shipped model on wasm in the browser, not a test: runs only with MEASURE=1.
//   MEASURE=1 E2E_PORT=4174 npx playwright test e2e/fix-latency.measure.ts
// One function (each built-in fix example) and a 300-line module with one bug in its second half
// (a missing colon; a misspelled name), and the same module without a bug (every function looked at).
import { test, type Page } from '@playwright/test';
import { runAndWait, waitForModel } from './playground-helpers';

async function setCode(page: Page, code: string): Promise<void> {
  await page.getByTestId('code-input').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

function module300(bug: 'colon' | 'name' | null): string {
  const parts = ['import os', 'from typing import Optional', '', 'LIMIT = 10', '', ''];
  for (let i = 0; i < 37; i++) {
    const header = `def total_of_${i}(values: list[int], name: Optional[str] = None) -> int:`;
    parts.push(
      bug === 'colon' && i === 28 ? header.slice(0, -1) : header,
      '    total = 0',
      '    for value in values:',
      '        if value > LIMIT:',
      '            total += value',
      bug === 'name' && i === 30 ? '    return totl' : '    return total',
      '',
      '',
    );
  }
  return `${parts.join('\n')}\n`;
}

test('measures fix latency on wasm: one function and a 300-line file', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  const figures: Record<string, unknown>[] = [];
  const latency = async (label: string, lines: number) => {
    const runs: { totalMs: number; steps: number }[] = [];
    for (let i = 0; i < 3; i++) {
      await runAndWait(page);
      const el = page.getByTestId('latency');
      runs.push({
        totalMs: Number(await el.getAttribute('data-total-ms')),
        steps: Number(await el.getAttribute('data-steps')),
      });
    }
    const sorted = runs.map((r) => r.totalMs).sort((a, b) => a - b);
    figures.push({ label, lines, medianMs: sorted[1], steps: runs[0]!.steps, runs });
  };
  for (const example of ['fix-missing-colon', 'fix-misspelled-name', 'fix-assign-for-compare', 'fix-correct']) {
    await page.getByTestId(`example-${example}`).click();
    await latency(example, await page.getByTestId('code-input').locator('.cm-line').count());
  }
  for (const bug of ['colon', 'name', null] as const) {
    const code = module300(bug);
    await setCode(page, code);
    await latency(`300-line file, ${bug ?? 'no'} bug`, code.split('\n').length);
  }
  console.log(`MEASURE ${JSON.stringify(figures, null, 1)}`);
  test.info().annotations.push({ type: 'figures', description: JSON.stringify(figures) });
});
