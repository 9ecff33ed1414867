import { describe, expect, it } from 'vitest';
import { BUG_NAMES } from '../../src/data/bugs';
import {
  buildExample, bugClassWeights, completeExample, encodableExamples, exampleTokens, fixExample, generateExample, generateShare, TARGETED_BUG_NAMES, type Example,
} from '../../src/data/examples';
import { countTokens } from '../../src/data/extract';
import { generateFunctions } from '../../src/data/generator';
import { Rng } from '../../src/model';
import { completionText, generatedText, isSameTokens, TaskError } from '../../src/model/internals';

const WITH_DOC = 'def area(w, h):\n    """Area of a rectangle."""\n    # width times height\n    return w * h\n';
const NO_DOC = 'def area(w, h):\n    return w * h\n';

describe('task builders', () => {
  it('fix: input is the buggy text, target the correct one, class named', () => {
    const example = fixExample(NO_DOC, 'missing_colon', new Rng(1))!;
    expect(example).toEqual({ task: 'fix', input: 'def area(w, h)\n    return w * h\n', target: NO_DOC, class: 'missing_colon' });
    expect(exampleTokens(example).tgtTokens).toEqual(['<L1>', '<D0>', 'def', 'area', '(', 'w', ',', 'h', ')', ':', '</s>']);
    const clean = fixExample(NO_DOC, 'no_bug', new Rng(1))!;
    expect(clean.input).toBe(NO_DOC);
    expect(exampleTokens(clean).tgtTokens).toEqual(['<nobug>', '</s>']);
  });

  it('complete: the text up to a line break, then the next line with code (never line 1, never a comment)', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const example = completeExample(WITH_DOC, new Rng(seed))!;
      expect(WITH_DOC.startsWith(example.input + example.target)).toBe(true);
      expect(example.input.endsWith('\n')).toBe(true);
      expect(example.target).not.toContain('\n');
      seen.add(example.target);
    }
    expect(seen).toEqual(new Set(['    """Area of a rectangle."""', '    return w * h']));
    const tokens = exampleTokens({ task: 'complete', input: 'def area(w, h):\n', target: '    return w * h' });
    expect(tokens.tgtTokens).toEqual(['<D1>', 'return', 'w', '*', 'h', '</s>']);
    expect(completionText('def area(w, h):\n', tokens.tgtTokens)).toBe('    return w * h');
  });

  it('complete never targets a line a multi-line string runs over', () => {
    const text = 'def f():\n    x = """a\n    b"""\n    return x\n';
    for (let seed = 0; seed < 20; seed++) expect(completeExample(text, new Rng(seed))!.target).toBe('    return x');
  });

  it('generate: only with a docstring; input is signature + docstring, target the whole function', () => {
    expect(generateExample(NO_DOC)).toBeNull();
    const example = generateExample(WITH_DOC)!;
    expect(example).toEqual({ task: 'generate', input: 'def area(w, h):\n    """Area of a rectangle."""\n', target: WITH_DOC });
    const { srcTokens, tgtTokens } = exampleTokens(example);
    expect(srcTokens[0]).toBe('<generate>');
    expect(isSameTokens(generatedText(example.input, tgtTokens), WITH_DOC)).toBe(true);
  });

  it('exampleTokens refuses what the format cannot express', () => {
    const twoLines: Example = { task: 'fix', input: 'def f(x)\n    return x +\n', target: 'def f(x):\n    return x\n' };
    expect(() => exampleTokens(twoLines)).toThrow(TaskError);
    expect(() => exampleTokens({ task: 'complete', input: 'def f():\n', target: '    a\n    b' })).toThrow(/one line/);
    expect(() => exampleTokens({ task: 'generate', input: 'def f():\n', target: 'def f():\n    """Only a docstring."""\n' })).toThrow(/no body/);
  });
});

describe('buildExample mix', () => {
  const texts = generateFunctions(3000, 3).map((f) => f.text);

  it('meets the default mix when told the share of functions that can generate', () => {
    const share = generateShare(texts);
    expect(share).toBeGreaterThan(0.4);
    const examples = texts.map((text, i) => buildExample(text, new Rng(i), { generateShare: share })!);
    const tasks = { fix: 0, complete: 0, generate: 0 };
    for (const e of examples) tasks[e.task]++;
    expect(tasks.fix / examples.length).toBeCloseTo(0.6, 1);
    expect(tasks.complete / examples.length).toBeCloseTo(0.25, 1);
    expect(tasks.generate / examples.length).toBeCloseTo(0.15, 1);
    const fixes = examples.filter((e) => e.task === 'fix');
    expect(fixes.filter((e) => e.class === 'no_bug').length / fixes.length).toBeCloseTo(0.15, 1);
    // Only targeted classes by default: the invisible ones are never trained on.
    expect(fixes.some((e) => e.class === 'wrong_comparison' || e.class === 'off_by_one_range')).toBe(false);
    for (const e of examples) expect(() => exampleTokens(e)).not.toThrow();
  });

  it('follows a custom mix, class list and token limit', () => {
    const onlyFix = texts.slice(0, 300).map((text, i) => buildExample(text, new Rng(i), { mix: { fix: 1, complete: 0, generate: 0, noBug: 0 }, bugClasses: ['wrong_comparison'] }));
    const made = onlyFix.filter((e) => e !== null);
    expect(made.every((e) => e.task === 'fix' && (e.class === 'wrong_comparison' || e.class === 'no_bug'))).toBe(true);
    expect(made.filter((e) => e.class === 'wrong_comparison').length).toBeGreaterThan(50);
    const tight = texts.slice(0, 200).map((text, i) => buildExample(text, new Rng(i), { maxTokens: 25 }));
    for (const e of tight) if (e) expect(countTokens(e.input)).toBeLessThanOrEqual(25);
  });

  it('class weights bring rarely applicable classes up', () => {
    const sample = texts.slice(0, 400);
    const weights = bugClassWeights(sample, BUG_NAMES, new Rng(1));
    expect(weights.assign_for_eq!).toBeGreaterThan(weights.missing_colon!);
    const count = (w?: Record<string, number>) => texts.slice(0, 1500)
      .map((text, i) => buildExample(text, new Rng(i), { mix: { fix: 1, complete: 0, generate: 0, noBug: 0 }, classWeights: w }))
      .filter((e) => e?.class === 'assign_for_eq').length;
    expect(count(weights)).toBeGreaterThan(1.5 * count());
    expect(TARGETED_BUG_NAMES).not.toContain('no_bug');
  });
});

describe('encodableExamples', () => {
  it('keeps what the model can read and leaves out, with the reason, what it cannot', () => {
    const short = 'def f(x):\n    return x\n';
    const long = `def g():\n${Array.from({ length: 64 }, (_, i) => `    x${i} = ${i}`).join('\n')}\n`;
    const readable: Example = { task: 'fix', input: short.replace(':', ''), target: short, class: 'missing_colon' };
    const tooLong: Example = { task: 'fix', input: long.replace('x3 = 3', 'x3 = = 3'), target: long, class: 'token_edit' };
    const { kept, encoded, left } = encodableExamples([readable, tooLong]);
    expect(kept).toEqual([readable]);
    expect(encoded).toHaveLength(1);
    expect(left).toHaveLength(1);
    expect(left[0]!.example).toBe(tooLong);
    expect(left[0]!.reason).toMatch(/65 lines; the model reads at most 64/);
  });
});
