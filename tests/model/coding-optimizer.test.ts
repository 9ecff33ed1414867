import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/platform/node/node';
import { InputError, load, MODES, type Answer, type Task } from '../../src/model/index';
import { tinyModelFiles } from './tiny-model';

const FUNCTION =
  'def total_of(items):\n    total = 0\n    for item in items:\n        total += item\n    return total\n';
const INPUTS: Record<Task, string> = {
  fix: FUNCTION,
  complete: 'def total_of(items):\n    total = 0\n',
  generate: 'def total_of(items):\n    """Return the sum of items."""\n',
};

describe('CodingOptimizer (tiny random model)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('a block nested past what the model reads still gets a candidate: "no bug" as the model scores it', async () => {
    // 99 nested ifs: no function or block fits a window, so the whole-file fix looks at nothing
    // (the playground read candidates[chosen] of an empty list and went blank). 99 is the deepest
    // that compiles: CPython refuses a 100th indented block (MAXINDENT).
    const deep = `${Array.from({ length: 99 }, (_, i) => `${'    '.repeat(i)}if x${i}:`).join('\n')}\n${'    '.repeat(99)}pass\n`;
    const before = tf.memory().numTensors;
    const model = await load(await tinyModelFiles());
    const answer = await model.run({ task: 'fix', mode: 'convergent', code: deep });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(answer.candidates.length).toBeGreaterThan(0);
    expect(answer.candidates[answer.chosen]!.noBug).toBe(answer.status === 'no_bug');
    expect(Number.isFinite(answer.candidates[0]!.logProb)).toBe(true);
    expect(answer.text).toBe(deep);
  });

  for (const task of ['fix', 'complete', 'generate'] as const) {
    for (const mode of MODES) {
      it(`answers ${task} in ${mode} mode with candidates, copy and attention, leaking nothing`, async () => {
        const before = tf.memory().numTensors;
        const model = await load(await tinyModelFiles());
        const answer = await model.run({ task, mode, code: INPUTS[task] });
        model.dispose();
        expect(tf.memory().numTensors).toBe(before);
        expect(answer.task).toBe(task);
        expect(answer.mode).toBe(mode);
        expect(answer.candidates.length).toBeGreaterThan(0);
        expect(answer.chosen).toBe(0);
        expect(answer.text).toBe(answer.refinements.at(-1)?.text ?? answer.candidates[0]!.text);
        expect(answer.sourceTokens[0]).toBe(`<${task}>`);
        for (const c of answer.candidates) {
          expect(c.copyProbability).toHaveLength(c.attention.length);
          for (const row of c.attention) {
            expect(row).toHaveLength(answer.sourceTokens.length);
            expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
          }
          expect(Number.isFinite(c.logProb)).toBe(true);
        }
        if (mode === 'convergent')
          expect(answer.candidates.filter((c) => c.origin === 'beam').length).toBeLessThanOrEqual(5);
        // Equal texts are one candidate (a beam and a suggested edit, or two beams).
        if (mode === 'convergent' && task === 'fix') {
          const applied = answer.candidates.filter((c) => c.problem === null).map((c) => c.text);
          expect(new Set(applied).size).toBe(applied.length);
        }
        expect(answer.timing.decodeSteps).toBeGreaterThan(0);
        expect(answer.timing.tokensPerSecond).toBeGreaterThan(0);
      });
    }
  }

  it('searches a wider beam for a fix when the name check suspects a misspelled name', async () => {
    const model = await load(await tinyModelFiles());
    const plain = await model.run({ task: 'fix', mode: 'convergent', code: FUNCTION });
    const suspect = await model.run({
      task: 'fix',
      mode: 'convergent',
      code: FUNCTION.replace('return total', 'return totl'),
    });
    const asComplete = await model.run({
      task: 'complete',
      mode: 'convergent',
      code: 'def f(items):\n    total = 0\n    return totl\n',
    });
    model.dispose();
    const beams = (a: typeof plain) => a.candidates.filter((c) => c.origin === 'beam').length;
    expect(beams(plain)).toBeLessThanOrEqual(5); // beam_width
    expect(beams(suspect)).toBeGreaterThan(5); // suspect_name_beam_width (20), less merged duplicates
    expect(beams(suspect)).toBeLessThanOrEqual(20);
    expect(asComplete.candidates.length).toBeLessThanOrEqual(5); // fix only
  });

  it('a fix answer says what the search considered, in every mode; hybrid holds the search and the samples', async () => {
    const model = await load(await tinyModelFiles());
    const code = 'def f(x)\n    return x\n';
    const answers: Record<string, Answer> = {};
    for (const mode of MODES) answers[mode] = await model.run({ task: 'fix', mode, code });
    const samples = model.config.cognitive_patterns.divergent.alternative_generation_count;
    model.dispose();
    for (const mode of MODES) {
      const search = answers[mode]!.search!;
      expect(search.generated).toBeGreaterThanOrEqual(search.compiled);
      if (mode !== 'divergent') expect(search.compiled).toBeGreaterThan(0);
      expect(search.top.length).toBe(Math.min(5, answers[mode]!.candidates.length));
      expect(search.top.map((t) => t.index)).toEqual(search.top.map((_, i) => i));
      for (const t of search.top) expect(t.proposal.by.length).toBeGreaterThan(0);
    }
    const convergent = answers.convergent!.search!;
    const hybrid = answers.hybrid!.search!;
    expect(convergent.samples).toBe(0);
    expect(convergent.generated).toBeGreaterThan(40); // the enumerated edits of the refused text
    expect(answers.divergent!.search!.samples).toBe(samples);
    expect(answers.divergent!.search!.generated).toBe(samples);
    expect(hybrid.samples).toBe(samples);
    expect(hybrid.generated).toBe(convergent.generated + samples);
    expect(hybrid.passes).toBe(convergent.passes);
    // Every candidate of the search is among hybrid's.
    const hybridTexts = new Set(answers.hybrid!.candidates.map((c) => c.text));
    for (const c of answers.convergent!.candidates) expect(hybridTexts.has(c.text)).toBe(true);
  });

  it('divergent candidates are distinct outputs ranked by log-probability', async () => {
    const model = await load(await tinyModelFiles());
    const answer = await model.run({ task: 'complete', mode: 'divergent', code: INPUTS.complete, seed: 3 });
    model.dispose();
    const outputs = answer.candidates.map((c) => c.outputTokens.join(' '));
    expect(new Set(outputs).size).toBe(outputs.length);
    const logProbs = answer.candidates.map((c) => c.logProb);
    expect([...logProbs].sort((a, b) => b - a)).toEqual(logProbs);
  });

  it('refuses empty input and input without a signature with messages that say what to do', async () => {
    const model = await load(await tinyModelFiles());
    await expect(model.run({ task: 'fix', mode: 'convergent', code: '  \n' })).rejects.toThrow(InputError);
    await expect(model.run({ task: 'fix', mode: 'convergent', code: '' })).rejects.toThrow(/the code is empty/);
    await expect(model.run({ task: 'generate', mode: 'convergent', code: 'just words here' })).rejects.toThrow(
      /signature/,
    );
    model.dispose();
  });

  it('cuts input over the maximum length and says how much it used', async () => {
    const model = await load(await tinyModelFiles());
    const long = `def f(x):\n${'    x = x + 1\n'.repeat(20)}    return x\n`;
    const answer = await model.run({ task: 'complete', mode: 'convergent', code: long });
    // fix reads inputs of any length through windows (whole-file.ts): nothing is cut.
    const fix = await model.run({ task: 'fix', mode: 'convergent', code: long });
    model.dispose();
    expect(fix.input.truncated).toBe(false);
    expect(answer.input.truncated).toBe(true);
    const codeTokens = answer.sourceTokens.slice(1).filter((t) => !/^<L\d+>$/.test(t));
    expect(codeTokens).toHaveLength(model.info.maxSourceLength);
    expect(answer.input.tokens).toBeGreaterThan(model.info.maxSourceLength);
  });
});

describe('fix status in every mode', () => {
  it('never answers "no bug" for code that does not parse: fixed, or unfixed with the input unchanged', async () => {
    const model = await load(await tinyModelFiles());
    const code = 'def f(x):\n    return (x + * /\n';
    for (const mode of ['convergent', 'divergent', 'hybrid'] as const) {
      const answer = await model.run({ task: 'fix', mode, code });
      expect(answer.noBug).toBe(false);
      expect(answer.status).toBe('unfixed');
      expect(answer.text).toBe(code);
    }
    model.dispose();
  });
});
