import { describe, expect, it } from 'vitest';
import { isTypoFix, unboundNames } from '../../src/model/name-check';

describe('name check', () => {
  it('finds names a function reads but never binds', () => {
    const code = 'def average(values, *, scale=1):\n    total = 0\n    for i, v in enumerate(values):\n        total += v\n    f = lambda q: q + 1\n    return f(totl) / len(values) * scale + CONSTANT\n';
    expect([...unboundNames(code)].sort()).toEqual(['CONSTANT', 'totl']);
  });

  it('binds imports, with-targets, keyword arguments are not reads, attributes are not names', () => {
    const code = 'def g(path):\n    import os\n    with open(path) as handle:\n        data = handle.read()\n    return os.path.join(data, sep=handle.name)\n';
    expect([...unboundNames(code)]).toEqual([]);
  });

  it('accepts a one-name edit from an unbound name to a bound near-twin, and nothing else', () => {
    const buggy = 'def average(values):\n    total = sum(values)\n    return totl / len(values)\n';
    expect(isTypoFix(buggy, buggy.replace('totl /', 'total /'))).toBe(true);
    expect(isTypoFix(buggy, buggy.replace('totl /', 'values /'))).toBe(false); // too far from the typo
    expect(isTypoFix(buggy, buggy)).toBe(false);
    const withGlobal = 'def f(x):\n    return x + LIMIT\n';
    expect(isTypoFix(withGlobal, withGlobal.replace('LIMIT', 'x'))).toBe(false);
  });
});
