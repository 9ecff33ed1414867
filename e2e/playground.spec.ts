import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { existsSync } from 'node:fs';
import { seedNoiseWeights, tinyModelFolder, type ModelFolder } from './fixtures/make-tiny-model';
import { collectPageErrors, expectBackend, serveModelFolder, snap } from './helpers';
import { LOAD_TIMEOUT, runAndWait, serveTiny, waitForModel } from './playground-helpers';

// The playground against a tiny random model served by route interception: its answers are noise;
// what is tested is that every part of the page works. The shipped model's own answers come last.

const WEIGHTS = 'lstm_weights.bin';

/** Replaces the editor's text as a user would (select all, then type/paste). */
async function setCode(page: Page, code: string): Promise<void> {
  const editor = page.getByTestId('code-input');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (code) await page.keyboard.insertText(code);
}

/** An answer with all its parts; `text: false` when an empty answer is legitimate (a random model may complete with an empty line). */
async function expectFullAnswer(page: Page, { text = true } = {}): Promise<void> {
  await expect(page.getByTestId('answer')).toHaveAttribute('data-text', text ? /\S/ : /.*/);
  expect(await page.getByTestId('candidate').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('attention-map').locator('rect[data-cell]').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('latency')).toContainText(/ms total/);
  await expect(page.getByTestId('latency')).toContainText(/ms per step/);
  await expect(page.getByTestId('parse-status')).toBeVisible();
}

for (const backend of ['webgpu', 'wasm'] as const) {
  test(`loads the model on ${backend} in the worker and answers a fix request`, async ({ page }) => {
    const errors = collectPageErrors(page);
    await serveTiny(page);
    await page.goto(`/?backend=${backend}`);
    await expectBackend(page, 'backend', backend);
    await waitForModel(page);
    await expect(page.getByTestId('model-info')).toHaveAttribute('data-backend', backend);
    await expect(page.getByTestId('load-progress')).toHaveAttribute('aria-valuenow', '100');
    await runAndWait(page);
    await expectFullAnswer(page);
    await snap(page, `playground-${backend}`);
    // Cancel: the page stops waiting at once, and the late answer is ignored when it comes.
    // (On WebGPU only: on SwiftShader a run takes seconds, so Cancel is surely in time.)
    if (backend === 'webgpu') {
      const output = page.getByTestId('output');
      const answers = Number(await output.getAttribute('data-answers'));
      await page.getByTestId('mode-select').selectOption('divergent');
      await page.getByTestId('run').click();
      await page.getByTestId('cancel').click();
      await expect(page.getByTestId('run')).toBeEnabled();
      await page.getByTestId('mode-select').selectOption('convergent');
      await runAndWait(page);
      await expect(page.getByTestId('answer')).toBeVisible();
      expect(Number(await output.getAttribute('data-answers'))).toBe(answers + 1);
      await expect(page.getByTestId('candidates')).not.toContainText('sample');
    }
    expect(errors).toEqual([]);
  });
}

test('shows download progress while the weights arrive', async ({ page }) => {
  const files = await tinyModelFolder();
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const served = await serveModelFolder(page, files);
  // Registered after the folder route, so it runs first: hold the weights until released.
  await page.route(`**/models/${WEIGHTS}`, async (route) => {
    await held;
    await route.fallback();
  });
  await page.goto('/?backend=wasm');
  const progress = page.getByTestId('load-progress');
  await expect(progress).toHaveAttribute('data-phase', 'fetch', { timeout: 30_000 });
  await expect(progress).toHaveAttribute('role', 'progressbar');
  await expect(page.locator('.load-text')).toContainText('Downloading the model');
  await snap(page, 'playground-loading');
  release();
  await waitForModel(page);
  expect(served.downloads(WEIGHTS)).toBe(1);
});

test('divergent mode lists several candidates, each selectable', async ({ page }) => {
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await page.getByTestId('mode-select').selectOption('divergent');
  await runAndWait(page);
  const candidates = page.getByTestId('candidate');
  expect(await candidates.count()).toBeGreaterThan(1);
  await expect(page.getByTestId('candidates')).toContainText('sample');
  await candidates.nth(1).locator('input[type=radio]').check();
  await expect(candidates.nth(1)).toHaveClass(/candidate-selected/);
  await expect(page.getByTestId('attention-map')).toBeVisible();
  await snap(page, 'playground-divergent');
});

test('Ctrl+Enter in the editor runs, and the editor keeps its text', async ({ page }) => {
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await page.getByTestId('task-select').selectOption('complete');
  const code = 'def total_of(items):\n    total = 0\n    for item in items:\n';
  await expect(page.getByTestId('code-input')).toContainText('for item in items:');
  await runAndWait(page, async () => {
    await page.getByTestId('code-input').click();
    await page.keyboard.press('Control+Enter');
  });
  await expectFullAnswer(page, { text: false });
  await expect(page.getByTestId('answer')).toHaveAttribute('data-task', 'complete');
  // No line break was typed: three lines of code and the empty last line, as before.
  await expect(page.getByTestId('code-input').locator('.cm-line')).toHaveCount(code.split('\n').length);
  await snap(page, 'playground-complete');
});

test('a reload takes the model files from the cache, not the network', async ({ page }) => {
  const served = await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-from-cache', 'false');
  expect(served.downloads(WEIGHTS)).toBe(1);
  await page.reload();
  await waitForModel(page);
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-from-cache', 'true');
  expect(served.downloads(WEIGHTS)).toBe(1);
  await runAndWait(page);
  await expectFullAnswer(page);
  // "Reload model" drops the cache and downloads again.
  await page.getByTestId('reload-model').click();
  await waitForModel(page);
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-from-cache', 'false');
  expect(served.downloads(WEIGHTS)).toBe(2);
});

test('empty code gets a message and the page stays usable', async ({ page }) => {
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await setCode(page, '');
  await page.getByTestId('run').click();
  const error = page.getByTestId('error');
  await expect(error).toContainText('The code is empty');
  await expect(error).toHaveAttribute('role', 'alert');
  await snap(page, 'playground-empty');
  await page.getByTestId('example-fix-misspelled-name').click();
  await runAndWait(page);
  await expect(error).toHaveCount(0);
  await expectFullAnswer(page);
});

test('code longer than the model reads gets a truncation notice (complete; fix reads any length)', async ({ page }) => {
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await page.getByTestId('task-select').selectOption('complete');
  const long = `def grow(x):\n${'    x = x + 1\n'.repeat(24)}    return x\n`;
  await setCode(page, long);
  await runAndWait(page);
  const notice = page.getByTestId('truncation');
  await expect(notice).toContainText(/read the last \d+ of \d+ tokens/);
  const [, used, total] = /last (\d+) of (\d+)/.exec((await notice.textContent()) ?? '')!;
  expect(Number(total)).toBeGreaterThan(Number(used));
  await expect(notice).toContainText(/from line \d+ of 26 on/);
  await snap(page, 'playground-truncated');
});

// Text that is not Python is refused: e2e/fix-real-code.spec.ts.

test('a corrupted weights file shows the loader message and Retry loads the fixed file', async ({ page }) => {
  const good = await tinyModelFolder();
  const served = await serveModelFolder(page, { ...good, [WEIGHTS]: seedNoiseWeights() });
  await page.goto('/?backend=wasm');
  const error = page.getByTestId('error');
  await expect(error).toContainText('lstm_weights.bin: no safetensors header', { timeout: LOAD_TIMEOUT });
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('run')).toBeDisabled();
  await snap(page, 'playground-bad-weights');
  served.files[WEIGHTS] = good[WEIGHTS]!;
  await page.getByTestId('retry').click();
  await waitForModel(page);
  await expect(error).toHaveCount(0);
  await runAndWait(page);
  await expectFullAnswer(page);
});

test('a missing model folder names the file and where it was looked for', async ({ page }) => {
  const files: ModelFolder = { ...(await tinyModelFolder()) };
  delete files[WEIGHTS];
  await serveModelFolder(page, files);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('error')).toContainText(/lstm_weights\.bin: the server answered 404/, {
    timeout: LOAD_TIMEOUT,
  });
  await expect(page.getByTestId('retry')).toBeVisible();
});

test('load model files: a wrong pick is refused and the running model keeps answering; a right pick runs', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  const tiny = await tinyModelFolder();
  await serveModelFolder(page, tiny);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await expect(page.getByTestId('model-source')).toHaveText('the shipped model');
  const picker = page.getByTestId('load-model-files');
  const named = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer });
  const pickError = page.getByTestId('model-files-error');

  await picker.setInputFiles([named(WEIGHTS, tiny[WEIGHTS]!)]);
  await expect(pickError).toContainText('no configuration (model_config.toml) among the picked files');
  await picker.setInputFiles([
    named(WEIGHTS, seedNoiseWeights()),
    named('model_config.toml', tiny['model_config.toml']!),
    named('tokenizer.json', tiny['tokenizer.json']!),
  ]);
  await expect(pickError).toContainText('lstm_weights.bin: no safetensors header');
  await expect(pickError).toContainText('The model that was running still runs');
  await snap(page, 'playground-load-files-refused');
  await expect(page.getByTestId('model-source')).toHaveText('the shipped model');
  await runAndWait(page);
  await expectFullAnswer(page);

  const metrics = Buffer.from('{"format": "lstm-coding-optimizer-metrics"}');
  await picker.setInputFiles([
    ...Object.entries(tiny).map(([name, buffer]) => named(name, buffer)),
    named('training_metrics.json', metrics),
  ]);
  await expect(page.getByTestId('model-files-status')).toContainText('Left out: training_metrics.json');
  await expect(pickError).toHaveCount(0);
  await expect(page.getByTestId('model-source')).toContainText(
    'your files (lstm_weights.bin, model_config.toml, tokenizer.json)',
  );
  await runAndWait(page);
  await expectFullAnswer(page);
  await snap(page, 'playground-load-files');
  await page.getByTestId('reload-model').click();
  await waitForModel(page);
  await expect(page.getByTestId('model-source')).toHaveText('the shipped model');
  expect(errors).toEqual([]);
});

test('a worker crash restarts the worker, says so, and keeps the code', async ({ page }) => {
  const errors = collectPageErrors(page);
  await serveTiny(page);
  await page.goto('/?backend=wasm&crash-test');
  await waitForModel(page);
  const mine = 'def mine(a, b):\n    return a + b\n';
  await setCode(page, mine);
  await page.getByTestId('crash-worker').click();
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('data-kind', 'crash');
  await expect(error).toContainText('restarted');
  await expect(page.getByTestId('code-input')).toContainText('return a + b');
  await snap(page, 'playground-crash');
  await waitForModel(page);
  await runAndWait(page);
  await expectFullAnswer(page);
  await expect(page.getByTestId('code-input')).toContainText('def mine(a, b):');
  expect(errors).toEqual([]);
});

test('a lost GPU device restarts the worker, says so, and keeps the code (webgpu)', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = collectPageErrors(page);
  await serveTiny(page);
  await page.goto('/?backend=webgpu&crash-test');
  await expectBackend(page, 'backend', 'webgpu');
  await waitForModel(page);
  const mine = 'def mine(a, b):\n    return a - b\n';
  await setCode(page, mine);
  // The worker destroys its own device: from GPUDevice.lost on, the path a real loss takes.
  await page.getByTestId('lose-device').click();
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('data-kind', 'crash');
  await expect(error).toContainText('GPU device was lost');
  await expect(error).toContainText('restarted');
  await expect(page.getByTestId('code-input')).toContainText('return a - b');
  await snap(page, 'playground-device-lost');
  await waitForModel(page);
  await expect(page.getByTestId('model-info')).toHaveAttribute('data-backend', 'webgpu');
  await runAndWait(page);
  await expectFullAnswer(page);
  await expect(page.getByTestId('code-input')).toContainText('def mine(a, b):');
  expect(errors).toEqual([]);
});

test('narrow screens stack the columns', async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 900 });
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await runAndWait(page);
  const input = await page.locator('.input-panel').boundingBox();
  const output = await page.locator('.output-panel').boundingBox();
  expect(output!.y).toBeGreaterThan(input!.y + input!.height - 1);
  await snap(page, 'playground-narrow');
  await page.screenshot({ path: 'e2e/screenshots/playground-narrow-top.png' }); // the first screen, readable
});

// The shipped model (public/models, committed): its real answers to two of the examples.

test("shipped model: code that does not compile is marked in the editor with Python's message; the fix compiles", async ({
  page,
}) => {
  expect(existsSync('public/models/lstm_weights.bin'), 'the shipped model is missing').toBe(true);
  const errors = collectPageErrors(page);
  await page.goto('/');
  await waitForModel(page);
  const missingColon =
    'def count_short(words):\n    count = 0\n    for w in words\n        if len(w) < 4:\n            count += 1\n    return count\n';
  const says = "Python would say: line 3: expected ':'";
  await setCode(page, missingColon);
  // The editor underlines the place (the last character before the missing ':') and says why.
  const mark = page.getByTestId('compile-error-mark');
  await expect(mark).toHaveText('s');
  await expect(mark).toHaveAttribute('title', says);
  await expect(page.getByTestId('editor-compile-status')).toHaveText(`Your code does not compile. ${says}`);
  await snap(page, 'playground-compile-error');

  // complete: the next line cannot follow code that does not compile; the answer says why.
  await page.getByTestId('task-select').selectOption('complete');
  await runAndWait(page);
  await expect(page.getByTestId('parse-status')).toHaveText('Does not compile');
  await expect(page.getByTestId('parse-status')).toHaveAttribute('title', /not run/);
  await expect(page.getByTestId('compile-message')).toHaveText(says);
  await expect(page.getByTestId('candidate').first()).toContainText('does not compile');
  await expect(page.getByTestId('candidate-compile-message').first()).toHaveText(says);
  await snap(page, 'playground-compile-error-complete');

  // fix: the answer compiles, and once used in the editor the mark and the message go.
  await page.getByTestId('task-select').selectOption('fix');
  await runAndWait(page);
  await expect(page.getByTestId('answer')).toHaveAttribute('data-text', /for w in words:/);
  await expect(page.getByTestId('parse-status')).toHaveText('Compiles');
  await expect(page.getByTestId('compile-message')).toHaveCount(0);
  await expect(page.getByTestId('candidate').filter({ hasText: 'chosen' })).toContainText('compiles');
  await snap(page, 'playground-compile-fixed');
  await page.getByRole('button', { name: 'Use in editor' }).click();
  await expect(page.getByTestId('code-input')).toContainText('for w in words:');
  await expect(mark).toHaveCount(0);
  await expect(page.getByTestId('editor-compile-status')).toBeHidden();
  expect(errors).toEqual([]);
});

for (const [example, expected] of [
  ['fix-missing-colon', 'for n in numbers:'],
  ['fix-misspelled-name', 'return total / len(values)'],
] as const) {
  test(`shipped model: fixes the "${example}" example`, async ({ page }) => {
    expect(
      existsSync('public/models/lstm_weights.bin'),
      'the shipped model public/models/lstm_weights.bin is missing',
    ).toBe(true);
    await page.goto('/');
    await waitForModel(page);
    await page.getByTestId(`example-${example}`).click();
    await runAndWait(page);
    const text = await page.getByTestId('answer').getAttribute('data-text');
    expect(text).toContain(expected);
    if (example === 'fix-misspelled-name') {
      // The chosen edit is the one the name check confirms, and the list says so.
      await expect(page.getByTestId('candidate').filter({ hasText: 'chosen' })).toContainText('name check');
    }
    await snap(page, `shipped-${example}`);
  });
}
