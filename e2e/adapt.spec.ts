import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixture';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectPageErrors, SCREENSHOT_DIR } from './helpers';
import { runAndWait } from './playground-helpers';

// "Your code" in the Train tab: a folder of the user's Python is split by file, the tiny preset is
// measured on the held-out files per class, fine-tuned on the rest for a few seconds, and measured
// again; the chart shows counts and 95% intervals, a reload offers to resume, the adapted model
// answers in the playground, and no request carries the user's code. A few steps only: the checks
// are about the page, not about how much the model learns.

/** In every function of the folder: a request that carries the code carries this. */
const PRIVATE_MARKER = 'ledger_zq7x';
const WORDS = ['alpha', 'bravo', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'heron', 'iris', 'juniper'];
const GOOD_FILES = 30;
/** Held out: 20% of the files, by file. */
const HELDOUT_FILES = 6;
/** Small: the convergent search takes about a second per example on a loaded 2-core machine. */
const PER_CLASS = '2';

/** Three short functions per module (the tiny preset reads at most 64 tokens), names of its own. */
function moduleText(i: number): string {
  const w = `${WORDS[i % WORDS.length]}_${i}`;
  return `import math


def total_${w}(items, start=0):
    ${PRIVATE_MARKER} = start
    for item in items:
        if item > ${i}:
            ${PRIVATE_MARKER} += item
    return ${PRIVATE_MARKER}


def describe_${w}(name, count):
    label = name.strip().lower()
    ${PRIVATE_MARKER} = "%s: %d" % (label, count)
    return ${PRIVATE_MARKER}


def distance_${w}(x, y):
    dx = x - ${i}
    dy = y + ${PRIVATE_MARKER.length}
    ${PRIVATE_MARKER} = math.sqrt(dx * dx + dy * dy)
    return ${PRIVATE_MARKER}
`;
}

/**
 * A project folder: `good` modules, plus what is skipped: a virtualenv and a build folder, a
 * binary file, one that does not compile, one that is not UTF-8, and a file that is not Python.
 */
function writeProject(good: number): string {
  const root = join(mkdtempSync(join(tmpdir(), 'adapt-e2e-')), 'myproject');
  mkdirSync(join(root, 'pkg'), { recursive: true });
  for (let i = 0; i < good; i++) writeFileSync(join(root, i % 2 ? 'pkg' : '', `mod_${i}.py`), moduleText(i));
  mkdirSync(join(root, '.venv', 'lib'), { recursive: true });
  writeFileSync(join(root, '.venv', 'lib', 'site.py'), moduleText(99));
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(join(root, 'build', 'generated.py'), moduleText(98));
  writeFileSync(join(root, 'blob.py'), Buffer.from([0x64, 0x65, 0x66, 0x00, 0x01]));
  writeFileSync(join(root, 'broken.py'), 'def broken(:\n    return 1\n');
  writeFileSync(join(root, 'latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
  writeFileSync(join(root, 'notes.txt'), 'not Python\n');
  return root;
}

/** Every request of the test's context (page, workers): its URL and body. */
function recordRequests(page: Page): { url: string; body: string }[] {
  const seen: { url: string; body: string }[] = [];
  page.context().on('request', (request: Request) => {
    seen.push({ url: decodeURIComponent(request.url()), body: request.postDataBuffer()?.toString('latin1') ?? '' });
  });
  return seen;
}

async function dataset(page: Page, testId: string): Promise<Record<string, string>> {
  return page
    .getByTestId(testId)
    .evaluate((element) => ({ ...(element as unknown as { dataset: Record<string, string> }).dataset }));
}

/** The Train tab with "your code" from `folder` (`perClass` held-out examples per class) on the tiny preset. */
async function chooseFolder(
  page: Page,
  folder: string,
  settings: Record<string, string> = {},
  perClass = PER_CLASS,
): Promise<void> {
  // Chromium has showDirectoryPicker, whose dialog a test cannot drive: the page falls back to a folder upload.
  await page.addInitScript(
    `Object.defineProperty(window, 'showDirectoryPicker', { value: undefined, configurable: true })`,
  );
  await page.route('**/models/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto('/?backend=wasm');
  await page.getByTestId('train-tab').click();
  await page.getByTestId('train-model-tiny').check();
  for (const [testId, value] of Object.entries(settings)) await page.getByTestId(testId).fill(value);
  await page.getByTestId('train-data-source').selectOption('adapt');
  await page.getByTestId('your-code-per-class').fill(perClass);
  await page.getByTestId('your-code-folder').setInputFiles(folder);
}

const TRAIN_SETTINGS = {
  'train-eval-interval': '10',
  'train-eval-sample': '1',
  'train-checkpoint-interval': '10',
  // Every due evaluation runs: the chart is checked after the first.
  'train-eval-share': '100',
};

test('your code: before and now per class with counts and intervals, resume after a reload, the adapted model answers', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  const folder = writeProject(GOOD_FILES);
  await chooseFolder(page, folder, TRAIN_SETTINGS);

  const summary = page.getByTestId('adapt-summary');
  await expect(page.getByTestId('data-summary')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  await expect(summary).toHaveAttribute('data-heldout-files', String(HELDOUT_FILES));
  await expect(summary).toHaveAttribute('data-train-files', String(GOOD_FILES - HELDOUT_FILES));
  const skipped = page.getByTestId('adapt-skipped');
  for (const reason of ['binary', 'does_not_compile', 'not_utf8'])
    await expect(skipped.locator(`li[data-reason="${reason}"]`)).toHaveAttribute('data-count', '1');
  // build/ and .venv/ (a folder upload may leave hidden folders out itself).
  await expect(skipped.locator('li[data-reason="skipped_folder"]')).toHaveAttribute('data-count', /^[12]$/);

  await page.getByTestId('train-start').click();
  const chart = page.getByTestId('adapt-chart');
  // "Before" at step 0, then "now" at the first evaluation.
  await expect
    .poll(async () => Number((await dataset(page, 'adapt-chart'))['nowStep'] || 0), { timeout: 150_000 })
    .toBeGreaterThanOrEqual(10);
  const classes = Number(await chart.getAttribute('data-classes'));
  expect(classes).toBeGreaterThan(3);
  const rows = chart.locator('.adapt-row');
  await expect(rows).toHaveCount(classes);
  let measured = 0;
  for (let i = 0; i < classes; i++) {
    const row = await rows
      .nth(i)
      .evaluate((element) => ({ ...(element as unknown as { dataset: Record<string, string> }).dataset }));
    for (const when of ['before', 'now']) {
      const [n, exact, low, high] = ['N', 'Exact', 'Low', 'High'].map((k) => Number(row[`${when}${k}`]));
      expect(exact).toBeLessThanOrEqual(n!);
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      expect(low).toBeLessThanOrEqual(high!);
      if (n! > 0) {
        measured += 1;
        expect(low).toBeLessThanOrEqual(exact! / n!);
        expect(high).toBeGreaterThanOrEqual(exact! / n!);
      }
    }
  }
  expect(measured).toBeGreaterThan(0);
  await expect(chart).toContainText('95%');
  // Per mode, with its count and interval; how long the evaluations took and their share of the run.
  expect(Number((await dataset(page, 'mode-accuracy-chart'))['latestConvergentN'])).toBeGreaterThan(0);
  const evalTime = await dataset(page, 'eval-time-chart');
  expect(Number(evalTime['points'])).toBeGreaterThanOrEqual(2);
  expect(Number(evalTime['share'])).toBeGreaterThan(0);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await chart.screenshot({ path: join(SCREENSHOT_DIR, 'adapt-before-now.png') });

  // A reload mid-run offers the saved run; resumed, the chart comes back with its "before".
  await expect(page.getByTestId('train-checkpoint')).toHaveAttribute('data-step', /^[1-9]\d*$/, { timeout: 60_000 });
  await page.reload();
  await page.getByTestId('train-tab').click();
  await expect(page.getByTestId('saved-run')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('saved-run')).toContainText('your code');
  await page.getByTestId('train-resume-saved').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'running', { timeout: 120_000 });
  await expect
    .poll(async () => Number((await dataset(page, 'adapt-chart'))['measurements']), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(2);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'ended', { timeout: 60_000 });

  await page.getByTestId('use-in-playground').click();
  await expect(page.getByTestId('model-source')).toHaveText('fine-tuned in the Train tab', { timeout: 120_000 });
  await runAndWait(page);
  await expect(page.getByTestId('answer')).toBeVisible();
  expect(errors).toEqual([]);
});

test('your code never leaves the browser: no request during an adaptation carries it', async ({ page }) => {
  test.setTimeout(150_000);
  const requests = recordRequests(page);
  const folder = writeProject(GOOD_FILES);
  await chooseFolder(page, folder, TRAIN_SETTINGS, '1');
  await expect(page.getByTestId('adapt-summary')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('train-start').click();
  // Measured before fine-tuning, then a few steps trained on it.
  await expect
    .poll(async () => Number((await dataset(page, 'adapt-chart'))['measurements']), { timeout: 150_000 })
    .toBeGreaterThanOrEqual(1);
  await expect
    .poll(async () => Number(await page.getByTestId('train-step').textContent()), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(3);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'ended', { timeout: 60_000 });
  // The recording works (the page, its scripts and workers were fetched), and none carries the code.
  expect(requests.length).toBeGreaterThan(3);
  const carriers = requests.filter((r) =>
    [r.url, r.body].some(
      (text) => text.includes(PRIVATE_MARKER) || text.includes('def total_') || text.includes('mod_1'),
    ),
  );
  expect(carriers).toEqual([]);
});

test('a folder too small to adapt on is refused with the counts, and the page stays usable', async ({ page }) => {
  const folder = writeProject(5);
  await chooseFolder(page, folder);
  const error = page.getByTestId('data-error');
  // 5 modules of 3 functions: 15, and 20 are needed.
  await expect(error).toContainText('hold 15 functions', { timeout: 120_000 });
  await expect(error).toContainText('at least 20 are needed: add 5 more');
  await expect(error).toContainText('1 binary');
  await expect(error).toContainText('1 not UTF-8 text');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await page.getByTestId('playground-tab').click();
  await expect(page.getByTestId('run')).toBeVisible();
});
