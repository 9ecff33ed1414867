// The convergent fix search with a stand-in model whose log-probabilities are set per output: what
// is tested is the ranking and refinement rules, not a network.
import { describe, expect, it } from 'vitest';
import { editSize, rankFix, searchFix, type FixModel } from '../../src/model/fix/fix-search';
import { NOBUG } from '../../src/model/vocab';
import { plainCandidate, standInBeam } from './stand-in-beam';

const OPTIONS = { editPenalty: 0.5, refineMargin: 2, iterations: 3 };

/** A model that answers with given beams (as fix outputs) and scores every other output `other`. */
function fakeModel(
  beamsFor: (text: string) => { tokens: string[]; logProb: number }[],
  other = -20,
  scoreOf?: (text: string, out: readonly string[]) => number | undefined,
): FixModel {
  const candidate = (base: string, tokens: string[], logProb: number) => standInBeam(base, tokens, logProb);
  return {
    beams: async (text) => beamsFor(text).map((b) => candidate(text, b.tokens, b.logProb)),
    score: async (text, outputs) =>
      outputs.map((o) => ({ logProb: scoreOf?.(text, o) ?? other, tokenLogProbs: [], pGen: [], attention: [] })),
  };
}

const MISSING_COLON = 'def f(x)\n    return x\n';

describe('convergent fix search', () => {
  it('never answers "no bug" for code that does not parse: a parsing edit wins though the model prefers no bug', async () => {
    const model = fakeModel(() => [{ tokens: [NOBUG], logProb: -0.01 }]);
    const result = await searchFix(MISSING_COLON, model, OPTIONS);
    expect(result.status).toBe('fixed');
    expect(result.text).toBe('def f(x):\n    return x\n');
    expect(result.steps[0]!.why).toBe('parse error');
  });

  it('says unfixed, with the input unchanged, when no candidate parses', async () => {
    // Three tokens from compiling: `(x +` alone is one edit from `(x )`, which the enumeration finds.
    const code = 'def f(x):\n    return (x + * /\n';
    const result = await searchFix(
      code,
      fakeModel(() => [{ tokens: [NOBUG], logProb: -0.01 }]),
      OPTIONS,
    );
    expect(result.status).toBe('unfixed');
    expect(result.text).toBe(code);
    expect(result.candidates.length).toBeGreaterThan(0);
  });

  it('takes beamPenalty off a beam no rule nor the enumeration proposed, where the text does not compile', async () => {
    // The model likes a rewrite of the line (`def f():`, two tokens) far better than the colon it lacks.
    const model = fakeModel(
      (text) =>
        text === MISSING_COLON
          ? [{ tokens: ['<L1>', '<D0>', 'def', 'f', '(', ')', ':'], logProb: -0.5 }]
          : [{ tokens: [NOBUG], logProb: -0.1 }],
      -12,
    );
    const unpenalised = await searchFix(MISSING_COLON, model, OPTIONS);
    expect(unpenalised.text).toBe('def f():\n    return x\n');
    const ranked = await searchFix(MISSING_COLON, model, { ...OPTIONS, beamPenalty: 24 });
    expect(ranked.text).toBe('def f(x):\n    return x\n');
  });

  it('prefers the smaller edit when the model scores two the same', async () => {
    const code = 'def f(name: str warn: bool = False) -> int:\n    return 1\n';
    const model = fakeModel((text) =>
      text !== code
        ? [{ tokens: [NOBUG], logProb: -0.1 }]
        : [
            { tokens: ['<L1>', '<D0>', 'def', 'f', '(', 'name', ')', ':'], logProb: -1 },
            {
              tokens: [
                '<L1>',
                '<D0>',
                'def',
                'f',
                '(',
                'name',
                ':',
                'str',
                ',',
                'warn',
                ':',
                'bool',
                '=',
                'False',
                ')',
                '->',
                'int',
                ':',
              ],
              logProb: -1,
            },
          ],
    );
    const result = await searchFix(code, model, OPTIONS);
    expect(result.text.split('\n')[0]).toBe('def f(name: str, warn: bool = False) -> int:');
    expect(editSize(code, result.text)).toBe(1);
  });

  it('merges candidates with the same text', () => {
    const a = plainCandidate({
      text: 'x = 1\n',
      outputTokens: ['<L1>', '<D0>', 'x', '=', '1'],
      logProb: -1,
      score: -1,
    });
    const ranked = rankFix('x = 2\n', [a, { ...a, logProb: -3, origin: 'edit', why: 'parse error' }], 0.5);
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.logProb).toBe(-1);
  });

  it('after a fix that compiled, a further model edit with nothing in the text behind it is not made', async () => {
    const fixed = 'def f(x):\n    return x\n';
    const rewrite = ['<L1>', '<D0>', 'def', 'g', '(', 'x', ')', ':'];
    const beams = (gap: number) => (text: string) =>
      text === fixed
        ? [
            { tokens: rewrite, logProb: -1 },
            { tokens: [NOBUG], logProb: -1 - gap },
          ]
        : [{ tokens: [NOBUG], logProb: -0.5 }];
    const small = await searchFix(MISSING_COLON, fakeModel(beams(1)), OPTIONS);
    expect(small.text).toBe(fixed);
    // Whatever its margin over "no bug": only the check or the name channel asks for a second edit.
    const large = await searchFix(MISSING_COLON, fakeModel(beams(30)), OPTIONS);
    expect(large.text).toBe(fixed);
  });

  it('fixes two bugs in one function: a parse error, then a suspect name', async () => {
    const code = 'def f(xs)\n    total = 0\n    for x in xs:\n        total += x\n    return totl\n';
    const result = await searchFix(
      code,
      fakeModel(() => [{ tokens: [NOBUG], logProb: -0.1 }]),
      OPTIONS,
    );
    expect(result.text).toBe('def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n');
    expect(result.steps.map((s) => s.why)).toEqual(['parse error', 'suspect name']);
  });
});

describe('edit size', () => {
  it("fixes two syntax errors when the model's edit of one of them, not the parser's, leads on", async () => {
    // `=` for `==` and a missing colon: no one edit parses; the model's `==` (a beam) then lets the
    // parser's colon finish the job.
    const code = 'def f(x)\n    if x = 1:\n        return x\n';
    const model = fakeModel((text) =>
      text === code
        ? [{ tokens: ['<L2>', '<D1>', 'if', 'x', '==', '1', ':'], logProb: -0.1 }]
        : [{ tokens: [NOBUG], logProb: -0.1 }],
    );
    const result = await searchFix(code, model, OPTIONS);
    expect(result.status).toBe('fixed');
    expect(result.text).toBe('def f(x):\n    if x == 1:\n        return x\n');
  });

  it('counts changed tokens, and a missing self. as one', () => {
    expect(editSize('def f(x)\n    return x\n', 'def f(x):\n    return x\n')).toBe(1);
    expect(editSize('x = a b\n', 'x = a, b\n')).toBe(1);
    expect(editSize('return iter(cache)\n', 'return iter(self.cache)\n')).toBe(1);
    expect(editSize('def f(name: str):\n    pass\n', 'def f(name):\n    pass\n')).toBe(2);
  });
});

describe('beams no bug explains', () => {
  it('are dropped, so the model’s "no bug" stands (re-indent only, a name for another word)', async () => {
    const code = 'def f(cb, x):\n    try:\n        y = cb(x)\n    except E:\n        pass\n    return y\n';
    const model = fakeModel(() => [
      { tokens: ['<L3>', '<D3>', 'y', '=', 'cb', '(', 'x', ')'], logProb: -1 },
      { tokens: ['<L3>', '<D2>', 'y', '=', 'len', '(', 'x', ')'], logProb: -2 },
      { tokens: [NOBUG], logProb: -3 },
    ]);
    const result = await searchFix(code, model, OPTIONS);
    expect(result.status).toBe('no_bug');
    expect(result.text).toBe(code);
  });
});

describe('a beam that writes the line back as it was', () => {
  it('counts as no bug, so an edit that breaks the function does not win (outside no_bug: md = {})', async () => {
    const code = 'def f(self):\n    md = {}\n    return md\n';
    const model = fakeModel(() => [
      { tokens: ['<L2>', '<D1>', 'md', '=', '{', '}'], logProb: -1 },
      { tokens: ['<L2>', '<D1>', 'if', 'self', '.', 'md', ':'], logProb: -1.5 },
      { tokens: [NOBUG], logProb: -4 },
    ]);
    const result = await searchFix(code, model, OPTIONS);
    expect(result.status).toBe('no_bug');
    expect(result.text).toBe(code);
    const ranked = rankFix(code, await model.beams(code), OPTIONS.editPenalty);
    expect(ranked[0]!.noBug).toBe(true);
    expect(ranked[0]!.logProb).toBe(-1);
  });
});
