// Every token edit the syntax check accepts near a text's error: the planted slip's repair is among them.
import { describe, expect, it } from 'vitest';
import { enumerateEdits } from '../../src/model/fix/enumerate-edits';
import { lineStructure, statementWindow } from '../../src/model/fix/statement-window';
import { spliceTokens } from '../../src/model/fix/token-splice';
import { furthestTokenRead } from '../../src/model/python/syntax/compile-check';
import { checkFragmentSyntax } from '../../src/model/python/parse-check';
import { lex } from '../../src/model/python/lexer';
import { isSameTokens } from '../../src/model/tasks';

const holds = (broken: string, fixed: string) => enumerateEdits(broken).edits.some((e) => isSameTokens(e.text, fixed));

describe('enumerated edits', () => {
  it.each([
    ['missing colon', 'def f(x)\n    return x\n', 'def f(x):\n    return x\n'],
    ['missing comma', 'def f(a, b):\n    return max(a b)\n', 'def f(a, b):\n    return max(a, b)\n'],
    [
      'unclosed bracket, closed where the line ends',
      'def f(a):\n    x = foo(a, (1, 2)\n    return x\n',
      'def f(a):\n    x = foo(a, (1, 2))\n    return x\n',
    ],
    [
      'unclosed bracket, closed inside the line',
      'def f(self, name):\n    return g(getattr(self, name, None)\n',
      'def f(self, name):\n    return g(getattr(self, name), None)\n',
    ],
    [
      'closer of a call that runs over lines',
      'def f(a, b):\n    x = g(\n        a,\n        b\n    y = 2\n    return x\n',
      'def f(a, b):\n    x = g(\n        a,\n        b)\n    y = 2\n    return x\n',
    ],
    ['extra token', 'def f(a):\n    return a + * 2\n', 'def f(a):\n    return a + 2\n'],
    ['swapped neighbours', 'def f(a):\n    return (a)(\n', 'def f(a):\n    return (a)()\n'],
    ['misspelled keyword', 'def f(a):\n    retrun a\n', 'def f(a):\n    return a\n'],
    ['a name dropped', 'def f(a, b):\n    return g(a, )b\n', 'def f(a, b):\n    return g(a, b)\n'],
  ])('%s: the repair is a candidate', (_, broken, fixed) => {
    expect(checkFragmentSyntax(broken).ok).toBe(false);
    expect(holds(broken, fixed)).toBe(true);
  });

  it('keeps only edits after which the text compiles, and counts its work', () => {
    const found = enumerateEdits('def f(a, b):\n    return max(a b)\n');
    expect(found.edits.length).toBeGreaterThan(0);
    for (const e of found.edits) expect(checkFragmentSyntax(e.text).ok).toBe(true);
    expect(found.stats.compiled).toBe(found.edits.length);
    expect(found.stats.checked).toBeGreaterThan(found.stats.fullChecks);
  });

  it('offers nothing for a text that compiles', () => {
    expect(enumerateEdits('def f(a):\n    return a\n').edits).toEqual([]);
  });

  it('finds two edits when no one edit compiles', () => {
    const broken = 'def f(a):\n    if a\n        return g(a\n    return 0\n';
    const fixed = 'def f(a):\n    if a:\n        return g(a)\n    return 0\n';
    const found = enumerateEdits(broken);
    expect(found.edits.every((e) => e.size === 2)).toBe(true);
    expect(found.edits.some((e) => isSameTokens(e.text, fixed))).toBe(true);
    expect(found.partial.length).toBeGreaterThan(0);
  });

  it('stops on a cancelled request', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => enumerateEdits('def f(a, b):\n    return max(a b)\n', { signal: controller.signal })).toThrow();
  });
});

describe('the cheap checks before a whole parse', () => {
  it('reads the furthest token the parser reached', () => {
    expect(furthestTokenRead('x = 1\n')).toBeNull();
    // `(a b)`: the parser fails at `b` (line 2, column 14).
    expect(furthestTokenRead('def f(a, b):\n    return max(a b)\n')).toEqual({ line: 2, col: 17 });
  });

  it('cuts the edited statement out, a header given a body', () => {
    const text = 'def f(x)\n    return x\n';
    const tokens = lex(text).tokens.filter((t) => !['NEWLINE', 'INDENT', 'DEDENT', 'ENDMARKER'].includes(t.kind));
    const edit = { kind: 'insert' as const, from: 5, to: 5, after: [':'], atLineEnd: true };
    const candidate = spliceTokens(text, tokens, edit)!;
    expect(candidate).toBe('def f(x):\n    return x\n');
    expect(statementWindow(candidate, text, tokens, lineStructure(text, tokens), edit)).toBe('def f(x):\n pass\n');
    const returned = { kind: 'delete' as const, from: 5, to: 6, after: [] };
    const window = statementWindow(
      spliceTokens(text, tokens, returned)!,
      text,
      tokens,
      lineStructure(text, tokens),
      returned,
    );
    expect(window).toBe('x\n');
  });
});
