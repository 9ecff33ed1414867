// Token-edit train examples: each is a one-line fix Python refuses whose target is the function, the
// same per seed, and the pipeline adds them to the train split only, and only when asked.
import { describe, expect, it } from 'vitest';
import { checkPythonSyntax, deriveSeed, Rng } from '../../src/model';
import { fixTarget, taskSource } from '../../src/model/internals';
import { differingLines } from '../../src/data/bugs';
import { runPipeline, NO_AUGMENT, CORPUS_SPLIT } from '../../src/data/pipeline';
import { TOKEN_EDIT_CLASS, tokenEditExample, tokenEditExamples } from '../../src/data/train-token-edits';
import { GOLDEN_SOURCES } from './pipeline-fixture';

const FUNCTION = `def total(items, start=0):
    """Sum the items."""
    result = start
    for item in items:
        if item > 0:
            result += item
    return result
`;

describe('tokenEditExample', () => {
  it('makes fix examples Python refuses, one line apart, whose target is the function', () => {
    let made = 0;
    for (let seed = 0; seed < 60; seed++) {
      const example = tokenEditExample(FUNCTION, new Rng(deriveSeed(seed, 'test')), 100);
      if (example === null) continue;
      made++;
      expect(example).toMatchObject({ task: 'fix', target: FUNCTION, class: TOKEN_EDIT_CLASS });
      expect(checkPythonSyntax(example.input).ok).toBe(false);
      expect(differingLines(FUNCTION, example.input)).toHaveLength(1);
      expect(() => fixTarget(FUNCTION, example.input)).not.toThrow();
    }
    // Most draws of a function this size give one (a mutation Python accepts gives none).
    expect(made).toBeGreaterThan(20);
  });

  it('gives nothing past the token limit', () => {
    for (let seed = 0; seed < 20; seed++) expect(tokenEditExample(FUNCTION, new Rng(seed), 10)).toBeNull();
  });

  it('is the same per key and seed, and a share draws about that many', () => {
    expect(tokenEditExamples('k', FUNCTION, 3, 2, 100)).toEqual(tokenEditExamples('k', FUNCTION, 3, 2, 100));
    const counts = Array.from({ length: 200 }, (_, i) => tokenEditExamples(`k${i}`, FUNCTION, 1, 0.5, 100).length);
    const drawn = counts.reduce((a, b) => a + b, 0);
    expect(Math.max(...counts)).toBeLessThanOrEqual(1);
    expect(drawn).toBeGreaterThan(40);
    expect(drawn).toBeLessThan(100);
  });
});

describe('the pipeline with trainTokenEdits', () => {
  const files = Object.entries(GOLDEN_SOURCES).map(([path, text]) => ({ path, text }));
  const settings = { seed: 4, generated: 0, maxTokens: 100, perFunction: 1, split: CORPUS_SPLIT, augment: NO_AUGMENT };

  it('adds token-edit examples to the train split only, leaving the rest as it was', () => {
    const plain = runPipeline(files, settings);
    const edited = runPipeline(files, { ...settings, trainTokenEdits: 1 });
    expect(plain.tokenEditExamples).toBe(0);
    expect(edited.tokenEditExamples).toBeGreaterThan(0);
    const isEdit = (e: { class?: string }) => e.class === TOKEN_EDIT_CLASS;
    expect(edited.examples.train.filter(isEdit)).toHaveLength(edited.tokenEditExamples);
    expect(edited.examples.train.filter((e) => !isEdit(e))).toHaveLength(plain.examples.train.length);
    expect(edited.examples.val).toEqual(plain.examples.val);
    expect(edited.examples.test).toEqual(plain.examples.test);
  });
});

describe('a function at the line limit', () => {
  it('never gives an input the model cannot read', () => {
    // 64 lines (the model's limit) with a multi-line literal the mutation may insert elsewhere.
    const body = Array.from({ length: 61 }, (_, i) => `    x${i} = ${i}`).join('\n');
    const text = `def f():\n    s = """a\nb"""\n${body}\n    return s\n`;
    for (let seed = 0; seed < 200; seed++) {
      const example = tokenEditExample(text, new Rng(deriveSeed(seed, 'limit')), 1000);
      if (example) expect(() => taskSource('fix', example.input)).not.toThrow();
    }
  });
});
