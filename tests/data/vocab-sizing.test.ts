import { describe, expect, it } from 'vitest';
import { coverage, coverageTable, minimumVocabSize, tokenCounts } from '../../src/data/vocab-sizing';
import { Vocabulary } from '../../src/model';

describe('vocabulary sizing', () => {
  it('counts function tokens with structural markers', () => {
    const counts = tokenCounts([{ text: 'def f(x):\n    return x\n' }, { text: 'def g(x):\n    return x\n' }]);
    expect(counts.get('x')).toBe(4);
    expect(counts.get('def')).toBe(2);
    expect(counts.get('<INDENT>')).toBe(2);
    expect(counts.get('f')).toBe(1);
  });

  it('splits target tokens into in-vocabulary, copy-only and unknown', () => {
    const vocab = Vocabulary.build(new Map([['alpha', 5]]), minimumVocabSize() + 1);
    const result = coverage(vocab, [
      { srcTokens: ['<fix>', 'beta'], tgtTokens: ['alpha', 'beta', 'gamma', 'return', '</s>'] },
      { srcTokens: ['<fix>'], tgtTokens: ['beta'] }, // beta is not in this source
    ]);
    expect(result).toEqual({ targetTokens: 6, inVocab: 3, copyOnly: 1, unknown: 2 });
  });

  it('builds one row per size, never below the minimum, with coverage growing with size', () => {
    const counts = new Map<string, number>(Array.from({ length: 2000 }, (_, i) => [`name${i}`, 2000 - i]));
    const examples = [{ srcTokens: ['<fix>', 'name1500'], tgtTokens: ['name1', 'name400', 'name1500', 'name1999', '</s>'] }];
    const rows = coverageTable(counts, [100, 500, 1000, 4000], examples);
    expect(rows.map((r) => r.requestedSize)).toEqual([100, 500, 1000, 4000]);
    expect(rows[0]!.size).toBe(minimumVocabSize());
    // '</s>' always; then 0, 252 and 752 corpus names fit beside the minimum vocabulary, then all.
    expect(rows.map((r) => r.inVocab)).toEqual([1, 2, 3, 5]);
    expect(rows[0]!.copyOnly).toBe(1); // name1500: not in a small vocabulary, but in the source
    for (const r of rows) expect(r.inVocabShare + r.copyOnlyShare + r.unknownShare).toBeCloseTo(1, 9);
  });
});
