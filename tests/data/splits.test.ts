import { describe, expect, it } from 'vitest';
import { normalizedKey } from '../../src/data/extract';
import { assignSplits, splitOfFile, splitOfGenerated, splitOfKey, SPLITS, type Split } from '../../src/data/splits';

describe('splits', () => {
  it('assigns files 80/10/10, fixed by seed and path', () => {
    const paths = Array.from({ length: 5000 }, (_, i) => `pkg${i % 37}/module_${i}.py`);
    const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
    for (const path of paths) counts[splitOfFile(1, path)]++;
    expect(counts.train / paths.length).toBeCloseTo(0.8, 1);
    expect(counts.val / paths.length).toBeCloseTo(0.1, 1);
    expect(counts.test / paths.length).toBeCloseTo(0.1, 1);
    expect(paths.map((p) => splitOfFile(1, p))).toEqual(paths.map((p) => splitOfFile(1, p)));
    const moved = paths.filter((p) => splitOfFile(1, p) !== splitOfFile(2, p)).length;
    expect(moved).toBeGreaterThan(500); // another seed, another split
    expect(splitOfFile(1, 'a\\b.py')).toBe(splitOfFile(1, 'a/b.py'));
    expect(splitOfKey(1, 'x', { train: 0, val: 0, test: 1 })).toBe('test');
  });

  it('assigns generated functions by index, independently of files', () => {
    const splits = Array.from({ length: 2000 }, (_, i) => splitOfGenerated(3, i));
    expect(splits.filter((s) => s === 'train').length / splits.length).toBeCloseTo(0.8, 1);
    expect(splitOfGenerated(3, 17)).toBe(splits[17]);
  });

  it('keeps every function of a file in one split and no text in two splits', () => {
    const items = [
      { text: 'def a():\n    return 1\n', file: 'x.py' },
      { text: 'def b():\n    return 2\n', file: 'x.py' },
      { text: 'def a():\n    return 1\n', file: 'y.py' }, // same as x.py's a
      { text: 'def a():\n    # again\n    return 1\n', file: 'z.py' }, // same tokens
      { text: 'def c():\n    return 3\n', file: 'z.py' },
      { text: 'def c():\n    return 3\n', file: 'z.py' }, // duplicate within a split
    ];
    const splitOf = (item: { file: string }): Split => ({ 'x.py': 'test', 'y.py': 'train', 'z.py': 'val' } as const)[item.file as 'x.py'];
    const { splits, duplicates } = assignSplits(items, splitOf);
    // The train copy of `a` wins; the val and test copies are dropped from the later splits.
    expect(splits.train.map((i) => i.file)).toEqual(['y.py']);
    expect(splits.val.map((i) => i.text)).toEqual(['def c():\n    return 3\n']);
    expect(splits.test.map((i) => i.text)).toEqual(['def b():\n    return 2\n']);
    expect(duplicates).toEqual({ train: 0, val: 2, test: 1 });
    const keys = SPLITS.map((s) => new Set(splits[s].map((i) => normalizedKey(i.text))));
    for (const key of keys[0]!) expect(keys[1]!.has(key) || keys[2]!.has(key)).toBe(false);
  });
});
