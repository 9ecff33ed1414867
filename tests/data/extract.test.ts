import { describe, expect, it } from 'vitest';
import { countTokens, dedupeFunctions, extractFunctions, normalizedKey } from '../../src/data/extract';
import { lex } from '../../src/model/internals';

const FILE = `import os

def top(a, b):
    # add them
    total = a + b

    return total

class Box:
    """A box."""

    @property
    def size(self):
        return len(self.items)

    async def load(self, path):
        data = await read(path)
        return data

    def outer(self, xs):
        def inner(x):
            return x * 2
        return [inner(x) for x in xs]

def one_liner(x): return x + 1

def broken(x):
    return "unterminated

def after(y):
    return y
`;

describe('extractFunctions', () => {
  const found = extractFunctions(FILE, 'sample.py');
  const byName = new Map(found.map((fn) => [fn.name, fn]));

  it('finds top-level functions, methods, async and nested functions, in file order', () => {
    expect(found.map((fn) => fn.name)).toEqual(['top', 'size', 'load', 'outer', 'inner', 'one_liner', 'after']);
    expect(found.every((fn) => fn.file === 'sample.py')).toBe(true);
    expect(byName.get('top')!.startLine).toBe(3);
    expect(byName.get('size')!.startLine).toBe(13);
  });

  it('dedents to column 0, drops decorators, keeps comments and blank lines', () => {
    expect(byName.get('top')!.text).toBe('def top(a, b):\n    # add them\n    total = a + b\n\n    return total\n');
    expect(byName.get('size')!.text).toBe('def size(self):\n    return len(self.items)\n');
    expect(byName.get('load')!.text).toBe('async def load(self, path):\n    data = await read(path)\n    return data\n');
    expect(byName.get('inner')!.text).toBe('def inner(x):\n    return x * 2\n');
    expect(byName.get('outer')!.text).toContain('    def inner(x):\n        return x * 2\n');
    expect(byName.get('one_liner')!.text).toBe('def one_liner(x): return x + 1\n');
  });

  it('skips functions that do not lex cleanly', () => {
    expect(byName.has('broken')).toBe(false);
    for (const fn of found) expect(lex(fn.text).problems).toEqual([]);
  });

  it('applies the token limit (NEWLINE/INDENT/DEDENT counted) and the 64-line limit', () => {
    const body = Array.from({ length: 30 }, (_, i) => `    x${i} = ${i}`).join('\n');
    const long = `def long():\n${body}\n`;
    expect(countTokens(long)).toBe(3 + 3 + 1 + 30 * 4 + 1); // def long ( ) : NEWLINE INDENT, 30 × (x = n NEWLINE), DEDENT
    expect(extractFunctions(long, 'f.py', { maxTokens: countTokens(long) })).toHaveLength(1);
    expect(extractFunctions(long, 'f.py', { maxTokens: countTokens(long) - 1 })).toHaveLength(0);
    const tall = `def tall():\n${'    pass\n'.repeat(64)}`;
    expect(extractFunctions(tall, 'f.py', { maxTokens: 10_000 })).toHaveLength(0);
    const fits = `def fits():\n${'    pass\n'.repeat(63)}`;
    expect(extractFunctions(fits, 'f.py', { maxTokens: 10_000 })).toHaveLength(1);
  });

  it("gives each function's token count, and its normalized key when asked, from its own lexing", () => {
    const keyed = extractFunctions(FILE, 'sample.py', { keys: true });
    expect(keyed.map((fn) => fn.text)).toEqual(found.map((fn) => fn.text));
    for (const fn of keyed) {
      expect(fn.tokenCount).toBe(countTokens(fn.text));
      expect(fn.key).toBe(normalizedKey(fn.text));
    }
    expect(found.every((fn) => fn.key === undefined)).toBe(true);
  });

  it('normalizes CRLF line breaks', () => {
    const [fn] = extractFunctions('def f(x):\r\n    return x\r\n', 'crlf.py');
    expect(fn!.text).toBe('def f(x):\n    return x\n');
  });
});

describe('dedupeFunctions', () => {
  it('drops functions with the same tokens whatever their layout and comments', () => {
    const a = { text: 'def f(x):\n    return x+1\n' };
    const b = { text: 'def f(x):\n    # note\n    return x + 1\n' };
    const c = { text: 'def f(x):\n    return x + 2\n' };
    expect(normalizedKey(a.text)).toBe(normalizedKey(b.text));
    expect(dedupeFunctions([a, b, c])).toEqual([a, c]);
  });
});
