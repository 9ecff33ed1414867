// Hybrid fix: the convergent search's answer with divergent samples joined, chosen by the search's
// ranking plus the samples' agreement. Stand-in candidates: what is tested is the choice.
import { describe, expect, it } from 'vitest';
import type { Answer, AnswerCandidate } from '../../src/model/api';
import { chooseByAgreement, cutUnaskedEdits, HYBRID_TUNING, joinSamples } from '../../src/model/fix/hybrid-join';
import { NOBUG } from '../../src/model/vocab';
import { standInBeam } from './stand-in-beam';

const TUNING = { minVotes: 3, voteNats: 2, unfixedVotes: 1, refineVotes: 3 };

/** The search's answer: its candidates ranked, the first chosen. */
function searchAnswer(code: string, candidates: AnswerCandidate[], status: Answer['status']): Answer {
  const first = candidates[0]!;
  const fixed = status === 'fixed';
  return {
    task: 'fix',
    mode: 'hybrid',
    text: fixed ? first.text : code,
    noBug: status === 'no_bug',
    status,
    edits: fixed
      ? [{ line: first.changedLine!, before: '', after: '', why: first.why ?? 'model', candidates: [] }]
      : [],
    candidates,
    chosen: 0,
    sourceTokens: [],
    input: { tokens: 0, usedTokens: 0, truncated: false },
    refinements: fixed ? [{ changedLine: first.changedLine!, text: first.text }] : [],
    confidence: 0.5,
    switchedToDivergent: false,
    timing: { totalMs: 0, decodeMs: 0, decodeSteps: 0, msPerStep: 0, tokensPerSecond: 0 },
  };
}

const sample = (code: string, tokens: string[], logProb: number): AnswerCandidate => ({
  ...standInBeam(code, tokens, logProb),
  origin: 'sample',
});

const repeat = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

const CALL = 'def f(a, b):\n    return g(a, b\n';
const CLOSE_END = ['<L2>', '<D1>', 'return', 'g', '(', 'a', ',', 'b', ')'];
const CLOSE_EARLY = ['<L2>', '<D1>', 'return', 'g', '(', 'a', ')', ',', 'b'];

describe('hybrid fix: the search joined with samples', () => {
  it('takes the compiling edit the samples agree on where the search found none', () => {
    const code = 'def f(a):\n    return a +\n';
    const unusable = standInBeam(code, ['<L2>', '<D1>', 'return', 'a', '+', '+'], -3);
    const searched = searchAnswer(code, [unusable], 'unfixed');
    const samples = [
      ...repeat(2, () => sample(code, ['<L2>', '<D1>', 'return', 'a'], -2)),
      sample(code, ['<L2>', '<D1>', 'return', 'a', '+', '1'], -1),
    ];
    const hybrid = joinSamples(code, searched, samples, 0.5, TUNING);
    expect(hybrid.status).toBe('fixed');
    expect(hybrid.text).toBe('def f(a):\n    return a\n');
    expect(hybrid.switchedToDivergent).toBe(true);
    expect(hybrid.edits).toEqual([
      expect.objectContaining({ line: 2, before: '    return a +', after: '    return a' }),
    ]);
    expect(hybrid.candidates[0]!.proposal).toEqual({ by: ['model sample'], votes: 2 });
  });

  it('keeps the search unfixed when no sample compiles either', () => {
    const code = 'def f(a):\n    return a +\n';
    const searched = searchAnswer(code, [standInBeam(code, ['<L2>', '<D1>', 'return', '+'], -3)], 'unfixed');
    const hybrid = joinSamples(code, searched, [sample(code, [NOBUG], -0.1)], 0.5, TUNING);
    expect(hybrid.status).toBe('unfixed');
    expect(hybrid.text).toBe(code);
    expect(hybrid.switchedToDivergent).toBe(false);
  });

  it('moves to another edit when most samples agree on it and its votes outweigh the score gap', () => {
    const early = { ...standInBeam(CALL, CLOSE_EARLY, -1), origin: 'edit' as const, why: 'parse error' as const };
    const end = { ...standInBeam(CALL, CLOSE_END, -2), origin: 'edit' as const, why: 'parse error' as const };
    const searched = searchAnswer(CALL, [early, end], 'fixed');
    const agreeing = joinSamples(
      CALL,
      searched,
      repeat(4, () => sample(CALL, CLOSE_END, -2)),
      0.5,
      TUNING,
    );
    expect(agreeing.text).toBe(end.text);
    expect(agreeing.status).toBe('fixed');
    expect(agreeing.candidates[0]!.proposal?.votes).toBe(4);
    // Two samples are not most of them: the search's choice stands.
    const few = joinSamples(
      CALL,
      searched,
      repeat(2, () => sample(CALL, CLOSE_END, -2)),
      0.5,
      TUNING,
    );
    expect(few.text).toBe(early.text);
    expect(few.switchedToDivergent).toBe(false);
    // A gap wider than the votes are worth stands too.
    const far = joinSamples(
      CALL,
      searched,
      repeat(4, () => sample(CALL, CLOSE_END, -2)),
      0.5,
      {
        ...TUNING,
        voteNats: 0.2,
      },
    );
    expect(far.text).toBe(early.text);
  });

  it('never displaces a typo fix the name channel confirmed by an edit it did not', () => {
    const code = 'def f(values):\n    return len(valeus)\n';
    const typo = { ...standInBeam(code, ['<L2>', '<D1>', 'return', 'len', '(', 'values', ')'], -3), nameCheck: true };
    const other = standInBeam(code, ['<L2>', '<D1>', 'return', 'values'], -1);
    const searched = searchAnswer(code, [typo, other], 'fixed');
    const hybrid = joinSamples(
      code,
      searched,
      repeat(5, () => sample(code, ['<L2>', '<D1>', 'return', 'values'], -1)),
      0.5,
      TUNING,
    );
    expect(hybrid.text).toBe(typo.text);
  });

  it('takes back an edit of a text that compiles when most samples say "no bug"', () => {
    const code = 'def f(values):\n    return len(values)\n';
    const edit = standInBeam(code, ['<L2>', '<D1>', 'return', 'values'], -1);
    const searched = searchAnswer(code, [edit, standInBeam(code, [NOBUG], -1.5)], 'fixed');
    const hybrid = joinSamples(
      code,
      searched,
      repeat(4, () => sample(code, [NOBUG], -1.5)),
      0.5,
      TUNING,
    );
    expect(hybrid).toMatchObject({ status: 'no_bug', noBug: true, text: code, edits: [], refinements: [] });
    expect(hybrid.candidates[0]!.noBug).toBe(true);
  });

  it('keeps the search order, puts sampled edits it lacked after its usable ones, and counts votes', () => {
    const noBug = standInBeam(CALL, [NOBUG], -0.5);
    const end = standInBeam(CALL, CLOSE_END, -1);
    const searched = searchAnswer(CALL, [end, noBug], 'fixed');
    const joined = joinSamples(
      CALL,
      searched,
      [sample(CALL, CLOSE_END, -1), sample(CALL, CLOSE_EARLY, -4), sample(CALL, [NOBUG], -0.5)],
      0.5,
      TUNING,
    );
    expect(joined.text).toBe(end.text);
    expect(joined.candidates.map((c) => [c.text === end.text, c.noBug, c.proposal?.votes])).toEqual([
      [true, false, 1],
      [false, false, 1],
      [false, true, 1],
    ]);
    // The sampled edit the search lacked is scored as the search scores its own (edit penalty per token).
    expect(joined.candidates[1]!.score).toBeCloseTo(-4 - 0.5 * joined.candidates[1]!.editSize!);
  });

  it('drops the further edits after one that compiled when most samples of its text say "no bug"', async () => {
    const code = 'def f(x)\n    return totl\n';
    const first = 'def f(x):\n    return totl\n';
    const second = 'def f(x):\n    return total\n';
    const colon = standInBeam(code, ['<L1>', '<D0>', 'def', 'f', '(', 'x', ')', ':'], -1);
    const searched: Answer = {
      ...searchAnswer(code, [colon], 'fixed'),
      text: second,
      edits: [
        { line: 1, before: 'def f(x)', after: 'def f(x):', why: 'parse error', candidates: [] },
        { line: 2, before: '    return totl', after: '    return total', why: 'suspect name', candidates: [] },
      ],
      refinements: [
        { changedLine: 1, text: first },
        { changedLine: 2, text: second },
      ],
    };
    const asked: string[] = [];
    const votes = (n: number) => async (text: string) => {
      asked.push(text);
      return n;
    };
    const cut = await cutUnaskedEdits(searched, votes(4), TUNING);
    expect(asked).toEqual([first]);
    expect(cut).toMatchObject({ text: first, status: 'fixed', switchedToDivergent: true });
    expect(cut!.edits).toHaveLength(1);
    expect(cut!.refinements).toEqual([{ changedLine: 1, text: first }]);
    // Two of five samples saying "no bug" is no agreement: the search's second edit stands.
    expect(await cutUnaskedEdits(searched, votes(2), TUNING)).toBeNull();
    // An answer of one edit has nothing to cut, and nothing is sampled for it.
    asked.length = 0;
    expect(await cutUnaskedEdits(searchAnswer(code, [colon], 'fixed'), votes(5), TUNING)).toBeNull();
    expect(asked).toEqual([]);
  });

  it('replays the choice on a joined answer: switching the agreement off keeps the search', () => {
    const early = standInBeam(CALL, CLOSE_EARLY, -1);
    const end = { ...standInBeam(CALL, CLOSE_END, -2), proposal: { by: ['model beam' as const], votes: 5 } };
    const joined = {
      ...searchAnswer(CALL, [early, end], 'fixed'),
      candidates: [early, end],
    };
    expect(chooseByAgreement(CALL, joined, TUNING).text).toBe(end.text);
    expect(chooseByAgreement(CALL, joined, { ...HYBRID_TUNING, minVotes: Number.POSITIVE_INFINITY }).text).toBe(
      early.text,
    );
  });
});
