import { describe, expect, it } from 'vitest';
import {
  bodyTokenF1,
  generatedBodyQuality,
  parameterNames,
  trivialBody,
  usesEveryParameter,
} from '../../src/model/generate-quality';

const HEADER = 'def pick(items, key=None):\n    """Return the first item whose key is true."""\n';
const withBody = (body: string, header = HEADER) => header + body;

describe('trivialBody', () => {
  it.each([
    ['    pass\n', 'pass', 'pass'],
    ['    ...\n', 'ellipsis', '...'],
    ['    return\n', 'bare-return', 'return'],
    ['    return False\n', 'constant', 'return False'],
    ['    return -1\n', 'constant', 'return -1'],
    ['    return []\n', 'constant', 'return []'],
    ['    return {"a": 1}\n', 'constant', 'return {"a": 1}'],
    ['    return (items)\n', 'parameter', 'return (items)'],
    ['    return key\n', 'parameter', 'return key'],
    ['    raise NotImplementedError\n', 'not-implemented', 'raise NotImplementedError'],
    ['    raise NotImplementedError("later")\n', 'not-implemented', 'raise NotImplementedError("later")'],
    ['    """Again."""\n', 'docstring', '"""Again."""'],
    ['    pass\n    return None\n', 'constant', 'return None'],
    ['', 'empty', ''],
  ])('calls %j a placeholder (%s)', (body, kind, statement) => {
    expect(trivialBody(withBody(body))).toEqual({ kind, statement });
  });

  it('calls `return self` of a method a placeholder', () => {
    const method = '    def me(self):\n        """This object."""\n        return self\n';
    expect(trivialBody(method)?.kind).toBe('parameter');
  });

  it.each([
    ['    return items[0]\n'],
    ['    return result\n'], // a name that is not a parameter: wrong, but not a placeholder
    ['    for item in items:\n        pass\n'],
    ['    if not items:\n        return None\n    return items[0]\n'],
    ['    x = 1\n    return x\n'],
    ['    raise ValueError("no")\n'],
    ['    raise NotImplementedError(items)\n'],
    ['    return len(items)\n'],
  ])('does not call %j a placeholder', (body) => {
    expect(trivialBody(withBody(body))).toBeNull();
  });

  it('gives a statement over several lines on one', () => {
    expect(trivialBody(withBody('    return (\n        None\n    )\n'))?.statement).toBe('return ( None )');
  });

  it('does not judge a text without a header', () => {
    expect(trivialBody('pass\n')).toBeNull();
  });
});

describe('parameterNames', () => {
  it('reads names, not annotations or defaults', () => {
    const header = 'def f(self, a: Dict[str, int], b=g(c), *args, d: int = 0, **kw) -> X:\n';
    expect(parameterNames(header)).toEqual(['self', 'a', 'b', 'args', 'd', 'kw']);
    expect(parameterNames('def f(a, /, *, b):\n')).toEqual(['a', 'b']);
    expect(parameterNames('def f():\n')).toEqual([]);
  });
});

describe('usesEveryParameter', () => {
  it('is true when every parameter is read, self aside', () => {
    expect(usesEveryParameter('def f(self, a, b):\n    return a + b\n')).toBe(true);
  });

  it('is false when one is not read, or read only as an attribute or a keyword', () => {
    expect(usesEveryParameter('def f(a, b):\n    return a\n')).toBe(false);
    expect(usesEveryParameter('def f(a, b):\n    return a.b\n')).toBe(false);
    expect(usesEveryParameter('def f(a, b):\n    return g(a, b=1)\n')).toBe(false);
  });

  it('counts a name read in an f-string', () => {
    expect(usesEveryParameter('def f(a, b):\n    return f"{a}-{b!r}"\n')).toBe(true);
  });

  it('is null without parameters besides self', () => {
    expect(usesEveryParameter('def f(self):\n    return 1\n')).toBeNull();
  });
});

describe('bodyTokenF1', () => {
  const reference = withBody('    return items[0]\n');

  it('is 1 for the same body and 0 for one with no token in common', () => {
    expect(bodyTokenF1(reference, reference)).toBe(1);
    expect(bodyTokenF1(withBody('    pass\n'), reference)).toBe(0);
  });

  it('is the harmonic mean of precision and recall over tokens, layout aside', () => {
    // answer: return items (2 tokens); reference: return items [ 0 ] (5): overlap 2.
    const precision = 2 / 2;
    const recall = 2 / 5;
    expect(bodyTokenF1(withBody('    return items\n'), reference)).toBeCloseTo(
      (2 * precision * recall) / (precision + recall),
      10,
    );
  });
});

describe('generatedBodyQuality', () => {
  it('gives the three figures of an answer', () => {
    const reference = withBody('    for item in items:\n        if key(item):\n            return item\n');
    expect(generatedBodyQuality(withBody('    return False\n'), reference)).toEqual({
      trivial: true,
      // `return` alone in common: precision 1/2, recall 1/13.
      tokenF1: expect.closeTo(2 / 15, 10),
      allParametersUsed: false,
    });
    expect(generatedBodyQuality(reference, reference)).toEqual({
      trivial: false,
      tokenF1: 1,
      allParametersUsed: true,
    });
  });

  it('counts an unreadable answer as a placeholder that reads no parameter', () => {
    expect(generatedBodyQuality('', withBody('    return items[0]\n'))).toEqual({
      trivial: true,
      tokenF1: 0,
      allParametersUsed: false,
    });
  });
});
