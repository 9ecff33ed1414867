import { describe, expect, it } from 'vitest';
import { countsText, proposalText } from '../../src/ui/lib/search-considered';

describe('what the search considered, in words', () => {
  it('names each source of a candidate, the enumerated edit and the votes of the samples', () => {
    expect(proposalText({ by: ['enumeration'], edit: 'insert' }, 0)).toBe('enumerated edit (insert)');
    expect(proposalText({ by: ['rule', 'model beam', 'model sample'], votes: 3 }, 5)).toBe(
      'rule, model beam, model sample (3 of 5)',
    );
    expect(proposalText({ by: ['no bug'] }, 0)).toBe('no bug');
  });

  it('gives the counts with thousands separated, and the samples only when some were drawn', () => {
    const summary = { generated: 2345, compiled: 12, ranked: 9, passes: 1, samples: 0, top: [] };
    expect(countsText(summary)).toBe('2,345 candidate texts built, 12 compiled, 9 ranked over 1 pass.');
    expect(countsText({ ...summary, passes: 2, samples: 5 })).toBe(
      '2,345 candidate texts built, 12 compiled, 9 ranked over 2 passes; 5 samples drawn.',
    );
  });
});
