import { describe, expect, it } from 'vitest';
import { BpeEncoder, END_OF_WORD, learnBpe, wordSymbols } from '../../src/data/bpe';

describe('BPE on identifiers', () => {
  it('marks the last character of a word', () => {
    expect(wordSymbols('get')).toEqual(['g', 'e', `t${END_OF_WORD}`]);
    expect(wordSymbols('')).toEqual([]);
  });

  it('merges the most frequent pair first, counting each word by its frequency', () => {
    // "ab" occurs 5 + 3 times (in ab_x and ab_y), "x</w>" pairs only 5 times.
    const bpe = learnBpe(
      new Map([
        ['abx', 5],
        ['aby', 3],
      ]),
      2,
    );
    expect(bpe.merges[0]).toEqual(['a', 'b']);
    expect(bpe.merges[1]).toEqual(['ab', `x${END_OF_WORD}`]);
    expect(bpe.alphabet).toEqual(['a', 'b', `x${END_OF_WORD}`, `y${END_OF_WORD}`].sort());
  });

  it('breaks ties by text and stops when no pair occurs twice', () => {
    const bpe = learnBpe(
      new Map([
        ['cd', 2],
        ['ab', 2],
        ['ef', 1],
      ]),
      10,
    );
    expect(bpe.merges).toEqual([
      ['a', `b${END_OF_WORD}`],
      ['c', `d${END_OF_WORD}`],
    ]);
  });

  it('leaves out words below minCount', () => {
    const bpe = learnBpe(
      new Map([
        ['ab', 1],
        ['cd', 3],
      ]),
      10,
      2,
    );
    expect(bpe.alphabet).toEqual(['c', `d${END_OF_WORD}`]);
  });

  it('encodes seen words whole and new words from the learnt pieces', () => {
    const counts = new Map([
      ['get_item', 10],
      ['set_item', 10],
      ['get_value', 10],
    ]);
    const encoder = new BpeEncoder(learnBpe(counts, 100));
    expect(encoder.encode('get_item')).toEqual([`get_item${END_OF_WORD}`]);
    // Never seen whole: spelt with learnt pieces, far fewer than its characters.
    const pieces = encoder.encode('set_value');
    expect(pieces.join('')).toBe(`set_value${END_OF_WORD}`);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.length).toBeLessThan(4);
    expect(encoder.isKnown('set_value')).toBe(true);
    expect(encoder.isKnown('zeta')).toBe(false);
    // z is outside the alphabet: it stays a piece of its own, the known part still merges.
    expect(encoder.encode('zeta')).toEqual(['z', 'et', `a${END_OF_WORD}`]);
  });
});
