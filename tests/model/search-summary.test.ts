// What a fix search considered: each candidate's proposal (why it was proposed) and the counts
// over the passes, with a stand-in model whose scores are set per output.
import { describe, expect, it } from 'vitest';
import type { AnswerCandidate } from '../../src/model/api';
import { searchFix, type FixModel } from '../../src/model/fix/fix-search';
import {
  emptyTally,
  recordPass,
  recordSamples,
  SUMMARY_TOP_CANDIDATES,
  summarizeSearch,
} from '../../src/model/fix/search-summary';
import { NOBUG } from '../../src/model/vocab';
import { standInBeam } from './stand-in-beam';

const OPTIONS = { editPenalty: 0.5, refineMargin: 2, iterations: 3 };

function fakeModel(beamsFor: (text: string) => { tokens: string[]; logProb: number }[], other = -20): FixModel {
  return {
    beams: async (text) => beamsFor(text).map((b) => standInBeam(text, b.tokens, b.logProb)),
    score: async (_text, outputs) =>
      outputs.map((o) => ({ logProb: o[0] === NOBUG ? -1 : other, tokenLogProbs: [], pGen: [], attention: [] })),
  };
}

const UNCLOSED = 'def f(x):\n    return g(x\n';

describe('what the fix search considered', () => {
  it('counts every text built and compiled over the passes, and says which rule proposed the fix', async () => {
    const tally = emptyTally();
    const result = await searchFix(
      UNCLOSED,
      fakeModel(() => [{ tokens: [NOBUG], logProb: -0.5 }]),
      { ...OPTIONS, tally },
    );
    expect(result.text).toBe('def f(x):\n    return g(x)\n');
    // The first pass enumerated edits of the refused text (tens of texts tried: one stands in for
    // each group of tokens the grammar treats alike), then a second pass looked at the fixed text.
    expect(tally.passes).toBe(2);
    expect(tally.generated).toBeGreaterThan(40);
    expect(tally.compiled).toBeGreaterThan(0);
    expect(tally.compiled).toBeLessThan(tally.generated);
    expect(tally.ranked).toBeGreaterThanOrEqual(result.candidates.length);
    const first = result.candidates[0]!;
    expect(first.proposal?.by).toContain('rule');
    // The model's "no bug" is listed as such, and an edit only the enumeration found says its kind.
    expect(result.candidates.find((c) => c.noBug)?.proposal?.by).toEqual(['no bug', 'model beam']);
    const enumerated = result.candidates.find((c) => c.proposal?.by.includes('enumeration'));
    expect(enumerated?.proposal?.edit).toMatch(/^(insert|delete|substitute|swap)( ×2)?$/);
  });

  it('tags a beam that equals a rule edit with both, and a name edit as the name channel', () => {
    const base = 'def f(values):\n    return len(valeus)\n';
    const fixed = 'def f(values):\n    return len(values)\n';
    const beam = standInBeam(base, ['<L2>', '<D1>', 'return', 'len', '(', 'values', ')'], -1);
    const edit: AnswerCandidate = { ...beam, origin: 'edit', logProb: -2 };
    const tagged = recordPass([beam, edit], {
      rules: [],
      characters: [],
      names: [{ text: fixed, line: 2, why: 'suspect name' }],
      enumerated: [],
      enumeration: null,
      beams: [beam],
    });
    expect(tagged[0]!.proposal).toEqual({ by: ['name channel', 'model beam'] });
    expect(tagged[1]!.proposal).toEqual({ by: ['name channel', 'model beam'] });
  });

  it('adds samples to the counts, and lists the first five candidates with their lines and scores', () => {
    const base = 'x = 1\n';
    const candidates = Array.from({ length: 7 }, (_, i) =>
      standInBeam(base, i === 0 ? [NOBUG] : ['<L1>', '<D0>', 'x', '=', String(i + 1)], -1 - i),
    );
    const tally = emptyTally();
    recordSamples(candidates.slice(0, 3), tally);
    expect(tally).toMatchObject({ samples: 3, generated: 3, compiled: 2 });
    const summary = summarizeSearch(tally, candidates);
    expect(summary.top).toHaveLength(SUMMARY_TOP_CANDIDATES);
    expect(summary.top[0]).toMatchObject({
      index: 0,
      line: null,
      score: -1,
      compiles: true,
      proposal: { by: ['no bug'] },
    });
    expect(summary.top[1]).toMatchObject({ index: 1, line: 1, score: -2, proposal: { by: ['model beam'] } });
  });
});
