// The order of an answer's candidates: checks that outrank the model's score, then the score.
import { describe, expect, it } from 'vitest';
import type { AnswerCandidate } from '../../src/model/api';
import { checkCompletionSyntax } from '../../src/model/python/parse-check';
import { dedupeSamples, mergeCandidates, rankCandidates } from '../../src/model/ranking';

const candidate = (
  text: string,
  outputTokens: string[],
  score: number,
  extra: Partial<AnswerCandidate> = {},
): AnswerCandidate => ({
  text,
  outputTokens,
  logProb: score,
  score,
  parses: true,
  origin: 'beam',
  noBug: false,
  changedLine: null,
  nameCheck: false,
  hasUnknown: outputTokens.includes('<unk>'),
  copyProbability: outputTokens.map(() => 0),
  attention: [],
  problem: null,
  ...extra,
});

describe('rankCandidates', () => {
  it('puts an output holding <unk> after every output the model spelled out, whatever its score', () => {
    const unknown = candidate('    return ', ['<D1>', 'return', '<unk>'], -0.3);
    const spelled = candidate('    return x', ['<D1>', 'return', 'x'], -2.5);
    expect(rankCandidates('complete', [unknown, spelled]).map((c) => c.text)).toEqual(['    return x', '    return ']);
    expect(rankCandidates('generate', [unknown, spelled])[0]!.text).toBe('    return x');
    // With nothing spelled out, the score decides.
    const other = candidate('    self.()', ['<D1>', 'self', '.', '<unk>', '(', ')'], -1);
    expect(rankCandidates('complete', [other, unknown])[0]).toBe(unknown);
  });

  it('puts a next line that cannot follow the code, or a fix that does not parse, after the rest', () => {
    const broken = candidate('x = (', ['<D1>', 'x', '=', '('], -0.1, { parses: false });
    const fine = candidate('x = 1', ['<D1>', 'x', '=', '1'], -3);
    expect(rankCandidates('complete', [broken, fine])[0]).toBe(fine);
    expect(rankCandidates('fix', [broken, fine])[0]).toBe(fine);
    expect(rankCandidates('fix', [candidate('a', ['<L1>', 'a'], -0.1, { problem: 'no line 9' }), fine])[0]).toBe(fine);
    // generate answers are whole bodies the user edits: the score alone orders them.
    expect(rankCandidates('generate', [broken, fine])[0]).toBe(broken);
  });

  it('puts a fix the name check confirms first among usable, spelled-out fixes', () => {
    const likely = candidate('a', ['<nobug>'], -0.1);
    const typo = candidate('b', ['<L3>', 'return', 'total'], -3, { nameCheck: true });
    const broken = candidate('c', ['<L3>', 'return', '('], -4, { nameCheck: true, parses: false });
    expect(rankCandidates('fix', [likely, broken, typo]).map((c) => c.text)).toEqual(['b', 'a', 'c']);
  });

  it('orders by score otherwise, and keeps the input list as it was', () => {
    const list = [candidate('a', ['a'], -2), candidate('b', ['b'], -1), candidate('c', ['c'], -3)];
    expect(rankCandidates('complete', list).map((c) => c.text)).toEqual(['b', 'a', 'c']);
    expect(list.map((c) => c.text)).toEqual(['a', 'b', 'c']);
  });
});

describe('dedupeSamples and mergeCandidates', () => {
  it('keeps the most likely of equal samples and scores it by log-probability', () => {
    const kept = dedupeSamples([candidate('a', ['a'], -2), candidate('a', ['a'], -1), candidate('b', ['b'], -3)]);
    expect(kept.map((c) => [c.text, c.score])).toEqual([
      ['a', -1],
      ['b', -3],
    ]);
  });

  it('sums the weighted shares of an output found by both lists', () => {
    const beams = [candidate('a', ['a'], Math.log(0.75)), candidate('b', ['b'], Math.log(0.25))];
    const samples = [candidate('b', ['b'], Math.log(0.5))];
    const merged = mergeCandidates('complete', beams, samples, 0.6, 0.4);
    expect(merged.map((c) => c.text)).toEqual(['b', 'a']);
    expect(merged[0]!.score).toBeCloseTo(0.6 * 0.25 + 0.4, 10);
    expect(merged[1]!.score).toBeCloseTo(0.6 * 0.75, 10);
  });
});

describe('checkCompletionSyntax', () => {
  const prefix = 'def total(xs):\n    acc = 0\n';
  it('accepts a line that parses after the code, and one that opens a block', () => {
    expect(checkCompletionSyntax(prefix, '    return acc')).toBe(true);
    expect(checkCompletionSyntax(prefix, '    for x in xs:')).toBe(true);
    expect(checkCompletionSyntax(prefix, '    if x:  # first')).toBe(true);
    expect(checkCompletionSyntax('def f(x):\n    if x:\n', '        return 1')).toBe(true);
  });

  it('refuses a line that cannot follow the code', () => {
    expect(checkCompletionSyntax(prefix, '    return (acc')).toBe(false);
    expect(checkCompletionSyntax(prefix, '    for x in xs')).toBe(false);
    expect(checkCompletionSyntax(prefix, '    else:')).toBe(false);
  });
});
