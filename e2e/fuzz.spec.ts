// The browser side of `npm run cli -- fuzz`: on wasm, the playground gets a hundred bad inputs in a
// row and the model-file picker fifty bad picks; each is answered or refused with a message, the page
// still answers a good request at the end, and the worker holds as many tensors as after the first
// good answer (data-worker-tensors: tf.memory().numTensors in the worker after an answer).
import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { tinyModelFolder, type ModelFolder } from './fixtures/make-tiny-model';
import { collectPageErrors } from './helpers';
import { serveTiny, waitForModel } from './playground-helpers';

const GOOD = 'def total(items):\n    s = 0\n    for item in items:\n        s += item\n    return s\n';
const WEIGHTS = 'lstm_weights.bin';
const CONFIG = 'model_config.toml';
const TOKENIZER = 'tokenizer.json';

/** A seeded stream (mulberry32), so every run feeds the same inputs. */
function stream(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The kinds of bad code the CLI's code surface makes, small enough to type into the editor. */
function badCode(k: number, next: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  switch (k % 10) {
    case 0:
      return Array.from({ length: 1 + Math.floor(next() * 200) }, () =>
        String.fromCharCode(1 + Math.floor(next() * 0xd7ff)),
      ).join('');
    case 1:
      return pick([
        'The quick brown fox.\nIt was the best of times.\n',
        '<html><body>hi</body></html>\n',
        'SELECT * FROM t;\n',
        '{"task": "fix"}\n',
      ]);
    case 2:
      return `x = ${'('.repeat(300)}1${')'.repeat(300)}\n`;
    case 3:
      return `def f(x):\n    return ${'x + '.repeat(6000)}x\n`;
    case 4:
      return GOOD.replace(/^ {4}/gm, () => pick(['\t', ' \t', '    ']));
    case 5:
      return GOOD.replace('return s', `return s ${pick(['"', "'''", 'f"{', '"\\'])}abc`);
    case 6:
      return GOOD.replace('item', pick(['\u202e', '\u0301\u0301', '🐍', '\ufeff', '\u2028x', '\u00a0', 'ǅ', '𝔵']));
    case 7:
      return GOOD.replace('s = 0', 's = \u00000');
    case 8:
      return pick(['', '   ', '\n\n', '# only a comment\n', 'pass']);
    default:
      return (
        Array.from({ length: 100 }, (_, i) => `${'    '.repeat(i)}if x${i}:`).join('\n') +
        `\n${'    '.repeat(100)}pass\n`
      );
  }
}

/** Model files made bad the ways the CLI's weights, config and tokenizer surfaces make them. */
function badPick(k: number, tiny: ModelFolder, next: () => number): ModelFolder {
  const files = { ...tiny };
  const weights = tiny[WEIGHTS]!;
  const headerEnd = 8 + weights.readUInt32LE(0);
  switch (k % 10) {
    case 0:
      files[WEIGHTS] = weights.subarray(0, Math.floor(next() * weights.length));
      break;
    case 1: {
      const copy = Buffer.from(weights);
      copy.writeUInt32LE(0x7fc00000, headerEnd + 4 * Math.floor(next() * ((weights.length - headerEnd) / 4)));
      files[WEIGHTS] = copy;
      break;
    }
    case 2: {
      const copy = Buffer.from(weights);
      copy.writeUInt32LE(Math.floor(next() * 2 ** 32), 0);
      files[WEIGHTS] = copy;
      break;
    }
    case 3:
      files[WEIGHTS] = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(next() * 256)));
      break;
    case 4:
      files[WEIGHTS] = Buffer.from(weights.toString('latin1').replace('"F32"', '"I32"'), 'latin1');
      break;
    case 5:
      files[CONFIG] = Buffer.from(tiny[CONFIG]!.toString().replace('beam_width = 5', 'beam_width = 4294967297'));
      break;
    case 6:
      files[CONFIG] = Buffer.from(tiny[CONFIG]!.toString().replace('[architecture]', '[architecture'));
      break;
    case 7:
      files[CONFIG] = Buffer.from(tiny[CONFIG]!.toString().replace(/hidden_size = \d+/, 'hidden_size = 64'));
      break;
    case 8:
      files[TOKENIZER] = Buffer.from(tiny[TOKENIZER]!.toString().replace('"<pad>"', '"<PAD>"'));
      break;
    default:
      files[TOKENIZER] = tiny[TOKENIZER]!.subarray(0, Math.floor(next() * tiny[TOKENIZER]!.length));
      break;
  }
  return files;
}

async function setCode(page: Page, code: string): Promise<void> {
  await page.getByTestId('code-input').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (code) await page.keyboard.insertText(code);
}

/** Runs the editor's code; resolves with 'answer' or 'refused' once the page has settled on one. */
async function runOnce(page: Page): Promise<'answer' | 'refused'> {
  const output = page.getByTestId('output');
  const count = async () =>
    Number(await output.getAttribute('data-answers')) + Number(await output.getAttribute('data-refusals'));
  const before = await count();
  const answersBefore = Number(await output.getAttribute('data-answers'));
  await page.getByTestId('run').click();
  await expect.poll(count, { timeout: 60_000 }).toBe(before + 1);
  return Number(await output.getAttribute('data-answers')) > answersBefore ? 'answer' : 'refused';
}

async function workerTensors(page: Page): Promise<number> {
  const value = await page.getByTestId('output').getAttribute('data-worker-tensors');
  expect(value).toMatch(/^\d+$/);
  return Number(value);
}

test('a hundred bad code inputs and fifty bad model-file picks in a row: the page still answers, worker tensors flat', async ({
  page,
}) => {
  test.setTimeout(900_000);
  const errors = collectPageErrors(page);
  const tiny = await tinyModelFolder();
  await serveTiny(page);
  await page.goto('/?backend=wasm');
  await waitForModel(page);
  await setCode(page, GOOD);
  expect(await runOnce(page)).toBe('answer');
  const start = await workerTensors(page);

  const next = stream(19);
  const outcomes = { answer: 0, refused: 0 };
  for (let k = 0; k < 100; k++) {
    await setCode(page, badCode(k, next));
    outcomes[await runOnce(page)]++;
    // A refusal says what is wrong, in the page's alert.
    if (outcomes.refused > 0 && k % 10 === 2)
      await expect(page.getByTestId('error')).toContainText(/nests brackets|deeper than Python allows/);
  }
  expect(outcomes.answer + outcomes.refused).toBe(100);
  expect(outcomes.refused).toBeGreaterThanOrEqual(20); // empty inputs, deep nesting, 24,000-character lines at least

  const picker = page.getByTestId('load-model-files');
  const pickError = page.getByTestId('model-files-error');
  for (let k = 0; k < 50; k++) {
    const files = badPick(k, tiny, next);
    if (await pickError.count()) await pickError.getByRole('button', { name: 'Dismiss' }).click();
    await expect(pickError).toHaveCount(0);
    await picker.setInputFiles(
      Object.entries(files).map(([name, buffer]) => ({ name, mimeType: 'application/octet-stream', buffer })),
    );
    await expect(pickError).toContainText(
      /(lstm_weights\.bin|model_config\.toml|tokenizer\.json): .*The model that was running still runs/,
      { timeout: 60_000 },
    );
    await expect(page.getByTestId('model-source')).toHaveText('the shipped model');
  }

  await setCode(page, GOOD);
  expect(await runOnce(page)).toBe('answer');
  await expect(page.getByTestId('answer')).toHaveAttribute('data-text', /\S/);
  expect(await workerTensors(page)).toBe(start);
  expect(errors).toEqual([]);
});
