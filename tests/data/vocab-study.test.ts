import { describe, expect, it } from 'vitest';
import {
  identifierCounts,
  mergesFor,
  studyFunction,
  subwordRows,
  tokenCountsOf,
  wordRows,
} from '../../src/data/vocab-study';
import { learnBpe } from '../../src/data/bpe';
import { minimumVocabSize } from '../../src/data/vocab-sizing';

describe('vocabulary study (counts only)', () => {
  it('marks identifiers, not keywords, literals or markers', () => {
    const fn = studyFunction('def f(x):\n    return x + 1\n');
    const named = fn.tokens.filter((_, i) => fn.identifier[i]);
    expect(named).toEqual(['f', 'x', 'x']);
    expect(fn.tokens).toContain('<INDENT>');
  });

  it('splits identifiers into in-vocabulary, copyable from earlier in the function, and unreachable', () => {
    const learn = [studyFunction('def common(alpha):\n    return alpha\n')];
    // 'rare' is not in the vocabulary: its first occurrence is unreachable, its second copyable.
    const heldOut = [studyFunction('def common(rare):\n    return rare\n')];
    const [row] = wordRows(tokenCountsOf(learn), [minimumVocabSize() + 10], heldOut);
    expect(row!.identifiers).toBe(3);
    expect(row!.inVocab).toBeCloseTo(1 / 3, 9);
    expect(row!.copyNeeded).toBeCloseTo(2 / 3, 9);
    expect(row!.copyableFromPrefix).toBeCloseTo(1 / 3, 9);
    expect(row!.unreachable).toBeCloseTo(1 / 3, 9);
  });

  it('fills a subword vocabulary with merges beside the fixed tokens and alphabet, and counts the length cost', () => {
    const learn = Array.from({ length: 3 }, () => studyFunction('def get_item(value):\n    return value\n'));
    const heldOut = [studyFunction('def get_item(value):\n    return value\n')];
    const counts = identifierCounts(learn);
    expect(counts.get('value')).toBe(6);
    const alphabet = learnBpe(counts, 0).alphabet.length;
    // Four merges spell value (six times in the counts) whole; get_item (three times) needs seven.
    const sizes = [minimumVocabSize() + alphabet + 4, minimumVocabSize() + alphabet + 20];
    const [small, large] = subwordRows(counts, sizes, heldOut, 100);
    expect(small!.merges).toBe(mergesFor(sizes[0]!, alphabet));
    expect(small!.size).toBe(sizes[0]);
    expect(small!.wholePiece).toBeCloseTo(2 / 3, 9);
    expect(large!.wholePiece).toBe(1);
    expect(large!.merges).toBeGreaterThan(small!.merges);
    expect(large!.wholePiece).toBeGreaterThan(small!.wholePiece);
    expect(large!.piecesPerIdentifier).toBeLessThan(small!.piecesPerIdentifier);
    expect(small!.lengthRatio).toBeGreaterThan(1);
    expect(small!.unknownCharacter).toBe(0);
    expect(small!.withinLimit).toBe(1);
  });
});
