import { describe, expect, it } from 'vitest';
import { hasSuspectName, isRareTwinOfModuleName, isTypoFix, unboundNames } from '../../src/model/python/name-check';
import { lex } from '../../src/model/python/lexer';
import { MAX_TYPO_DISTANCE, MIN_TYPO_NAME_LENGTH } from '../../src/model/fix/search-limits';

describe('name check', () => {
  it('finds names a function reads but never binds', () => {
    const code =
      'def average(values, *, scale=1):\n    total = 0\n    for i, v in enumerate(values):\n        total += v\n    f = lambda q: q + 1\n    return f(totl) / len(values) * scale + CONSTANT\n';
    expect([...unboundNames(code)].sort()).toEqual(['CONSTANT', 'totl']);
  });

  it('binds imports, with-targets, keyword arguments are not reads, attributes are not names', () => {
    const code =
      'def g(path):\n    import os\n    with open(path) as handle:\n        data = handle.read()\n    return os.path.join(data, sep=handle.name)\n';
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

  it('accepts a misspelled binding turned into the name the function reads', () => {
    const buggy =
      'def count(tokens):\n    coutns = {}\n    for t in tokens:\n        counts[t] = counts.get(t, 0) + 1\n    return counts\n';
    expect(isTypoFix(buggy, buggy.replace('coutns =', 'counts ='))).toBe(true);
    expect(isTypoFix(buggy, buggy.replace('coutns =', 'coutn ='))).toBe(false); // leaves `counts` unbound
    // An edit that fixes one unbound name but makes another is no typo fix.
    const two = 'def f(value):\n    return valeu + 1\n';
    expect(isTypoFix(two, two.replace('valeu', 'value'))).toBe(true);
    expect(isTypoFix(two, two.replace('(value)', '(valeu)'))).toBe(true); // the parameter renamed to what is read: also consistent
    expect(isTypoFix(two, two.replace('+ 1', '+ vale'))).toBe(false);
    // Turning one unbound module-level name into another unbound one shrinks the set too: no typo fix.
    const modular = 'def codec(x):\n    return dict(decode=bz2_decode, encode=bz2_encode)\n';
    expect(isTypoFix(modular, modular.replace('decode=bz2_decode', 'decode=bz2_encode'))).toBe(false);
  });

  it('treats self like any name: a misspelled self parameter is a typo', () => {
    const buggy = 'def _le(sellf, other):\n    return not sellf.x and self.y\n'.replace('not sellf.x', 'not self.x');
    expect([...unboundNames(buggy)]).toEqual(['self']);
    expect(isTypoFix(buggy, buggy.replace('(sellf,', '(self,'))).toBe(true);
  });

  it('suspects a misspelled name when an unbound name has a near-twin in the function, and only then', () => {
    expect(hasSuspectName('def average(values):\n    total = sum(values)\n    return totl / len(values)\n')).toBe(true);
    expect(
      hasSuspectName(
        'def count(tokens):\n    coutns = {}\n    for t in tokens:\n        counts[t] = 1\n    return counts\n',
      ),
    ).toBe(true);
    expect(hasSuspectName('def f(x):\n    return x + LIMIT\n')).toBe(false); // unbound, but no twin
    expect(hasSuspectName('def f(values):\n    return sum(values)\n')).toBe(false); // nothing unbound
    expect(hasSuspectName('def f(a):\n    return ab + a\n')).toBe(false); // names under 3 letters are not judged
    // Two module-level names, both unbound here, are no typo of each other.
    expect(hasSuspectName('def f(x):\n    return bz2_decode(x) + bz2_encode(x)\n')).toBe(false);
  });

  it(`judges names of ${MIN_TYPO_NAME_LENGTH} letters or more, up to ${MAX_TYPO_DISTANCE} letters from a bound twin`, () => {
    const suspect = (bound: string, read: string) => hasSuspectName(`def f(${bound}):\n    return ${read}\n`);
    const short = 'n'.repeat(MIN_TYPO_NAME_LENGTH);
    expect(suspect(`${short}x`, short)).toBe(true);
    expect(suspect(`${short.slice(1)}x`, short.slice(1))).toBe(false);
    const far = 'abcdefgh';
    const twinAt = (letters: number) => 'z'.repeat(letters) + far.slice(letters);
    expect(suspect(far, twinAt(MAX_TYPO_DISTANCE))).toBe(true);
    expect(suspect(far, twinAt(MAX_TYPO_DISTANCE + 1))).toBe(false);
    expect(isTypoFix('def f(abcdefgh):\n    return zzcdefgh\n', 'def f(abcdefgh):\n    return abcdefgh\n')).toBe(true);
    expect(isTypoFix('def f(abcdefgh):\n    return zzzdefgh\n', 'def f(abcdefgh):\n    return abcdefgh\n')).toBe(false);
  });

  it('takes a module name read once for a typo of its twin read twice, but not a plural', () => {
    const text = (one: string, two: string) =>
      `def items(self):\n    return [${one}(FakeTuple([${two}(k), ${two}(v)])) for k, v in self.pairs]\n`;
    const tokens = (one: string, two: string) => lex(text(one, two)).tokens;
    expect(isRareTwinOfModuleName(tokens('LazyKnwnValue', 'LazyKnownValue'), 'LazyKnwnValue', 'LazyKnownValue')).toBe(
      true,
    );
    // A class and its plural are two words of the module (outside no_bug).
    expect(
      isRareTwinOfModuleName(tokens('LazyKnownValue', 'LazyKnownValues'), 'LazyKnownValue', 'LazyKnownValues'),
    ).toBe(false);
  });
});
