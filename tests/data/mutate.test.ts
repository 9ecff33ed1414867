// Token mutations: the same per seed, each kind doing what it says at token level, the text around
// the edits kept as it was.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/model';
import { lex } from '../../src/model/internals';
import { mutate, MUTATION_KINDS, tokenAlphabet, type Mutation } from '../../src/data/mutate';

const FUNCTION = `def total(items, start=0):
    """Sum the items."""
    result = start  # running sum
    for item in items:
        if item > 0:
            result += item

    return result
`;

const codeTokens = (text: string) =>
  lex(text)
    .tokens.filter((t) => !['NEWLINE', 'INDENT', 'DEDENT', 'ENDMARKER'].includes(t.kind))
    .map((t) => t.text);

/** The code tokens of the original with the mutation's edits applied, at token level. */
function expectedTokens(original: string, mutation: Mutation): string[] {
  const tokens = codeTokens(original);
  const out: string[] = [];
  let next = 0;
  for (const edit of mutation.edits) {
    out.push(...tokens.slice(next, edit.tokenIndex), ...edit.after);
    next = edit.tokenIndex + edit.before.length;
  }
  return [...out, ...tokens.slice(next)];
}

const draw = (seed: number, kind: Mutation['kind'], size: 1 | 2, text = FUNCTION) =>
  mutate(text, new Rng(seed), { kind, size });

describe('token mutations', () => {
  it('are the same for the same seed and differ across seeds', () => {
    for (const kind of MUTATION_KINDS) {
      expect(draw(7, kind, 1)).toEqual(draw(7, kind, 1));
      const texts = new Set(Array.from({ length: 10 }, (_, seed) => draw(seed, kind, 1)!.text));
      expect(texts.size).toBeGreaterThan(5);
    }
    expect(mutate(FUNCTION, new Rng(3))).toEqual(mutate(FUNCTION, new Rng(3)));
  });

  it('make one or two edits of their kind, and the text lexes to exactly the edited tokens', () => {
    for (const kind of MUTATION_KINDS) {
      for (const size of [1, 2] as const) {
        for (let seed = 0; seed < 40; seed++) {
          const m = draw(seed, kind, size)!;
          expect(m.kind).toBe(kind);
          expect(m.size).toBe(size);
          expect(m.edits).toHaveLength(size);
          expect(codeTokens(m.text)).toEqual(expectedTokens(FUNCTION, m));
          expect(m.text).not.toBe(FUNCTION);
        }
      }
    }
  });

  it('insert adds one token, delete removes one, substitute replaces one, swap exchanges neighbours', () => {
    for (let seed = 0; seed < 30; seed++) {
      const [insert] = draw(seed, 'insert', 1)!.edits;
      expect(insert!.before).toEqual([]);
      expect(insert!.after).toHaveLength(1);
      const [deleted] = draw(seed, 'delete', 1)!.edits;
      expect(deleted!.before).toHaveLength(1);
      expect(deleted!.after).toEqual([]);
      const [substituted] = draw(seed, 'substitute', 1)!.edits;
      expect(substituted!.after).toHaveLength(1);
      expect(substituted!.after[0]).not.toBe(substituted!.before[0]);
      const [swapped] = draw(seed, 'swap', 1)!.edits;
      expect(swapped!.after).toEqual([...swapped!.before].reverse());
      expect(swapped!.before[0]).not.toBe(swapped!.before[1]);
    }
  });

  it('records where each edit is: token, offset and line of the original', () => {
    const tokens = lex(FUNCTION).tokens.filter((t) => !['NEWLINE', 'INDENT', 'DEDENT'].includes(t.kind));
    for (let seed = 0; seed < 30; seed++) {
      for (const kind of ['delete', 'substitute', 'swap'] as const) {
        for (const edit of draw(seed, kind, 2)!.edits) {
          const token = tokens[edit.tokenIndex]!;
          expect(edit.before[0]).toBe(token.text);
          expect(edit.offset).toBe(token.start);
          expect(edit.line).toBe(token.line);
        }
      }
    }
  });

  it('keeps indentation, comments, blank lines and the lines it does not touch', () => {
    const originalLines = FUNCTION.split('\n');
    for (const kind of MUTATION_KINDS) {
      for (let seed = 0; seed < 40; seed++) {
        const m = draw(seed, kind, 1)!;
        const lines = m.text.split('\n');
        // No token edit here spans lines (the docstring is one line): the line count stays.
        expect(lines).toHaveLength(originalLines.length);
        const touched = new Set(m.edits.map((e) => e.line));
        lines.forEach((line, i) => {
          if (!touched.has(i + 1)) expect(line).toBe(originalLines[i]);
          else expect(/^\s*/.exec(line)![0]).toBe(/^\s*/.exec(originalLines[i]!)![0]);
        });
        expect(m.text).toContain('# running sum');
      }
    }
  });

  it('adds a space only where tokens would run together, and takes one out with a deleted word', () => {
    const find = (text: string, kind: Mutation['kind'], wanted: (m: Mutation) => boolean) => {
      for (let seed = 0; seed < 3000; seed++) {
        const m = mutate(text, new Rng(seed), { kind, size: 1 });
        if (m && wanted(m)) return m;
      }
      throw new Error(`no ${kind} found`);
    };
    // Deleting `(` between two names: `f x)`, not `fx)`.
    expect(find('y = f(x)\n', 'delete', (m) => m.edits[0]!.before[0] === '(').text).toBe('y = f x)\n');
    // Deleting a word between blanks leaves one blank.
    expect(find('y = a and b\n', 'delete', (m) => m.edits[0]!.before[0] === 'and').text).toBe('y = a b\n');
    // Swapping a name and a bracket: `(f x)`.
    expect(find('y = f(x)\n', 'swap', (m) => m.edits[0]!.before[0] === 'f').text).toBe('y = (f x)\n');
    // `=` put for `b` right after an `=`: `a = =`, never `a ==`.
    const sub = find('a =b\n', 'substitute', (m) => m.edits[0]!.after[0] === '=' && m.edits[0]!.before[0] === 'b');
    expect(sub.text).toBe('a = =\n');
    // A number before a keyword gets a space (CPython reads `2if` as a broken number).
    const numeric = find('y = (2)if x else 3\n', 'delete', (m) => m.edits[0]!.before[0] === ')');
    expect(numeric.text).toBe('y = (2 if x else 3\n');
  });

  it('inserts at a line end after the last token', () => {
    const found = Array.from({ length: 200 }, (_, seed) => mutate('x = 1\ny = 2\n', new Rng(seed), { kind: 'insert', size: 1 }))
      .filter((m) => m !== null)
      .map((m) => m.text);
    expect(found.some((text) => /^x = 1 \S+\ny = 2\n$/.test(text))).toBe(true);
    expect(found.some((text) => /^\S+ x = 1\ny = 2\n$/.test(text))).toBe(true);
  });

  it('is recoverable unless it removes a name or literal the text no longer has', () => {
    const recoverable = (text: string, kind: 'delete' | 'substitute', before: string) => {
      for (let seed = 0; seed < 500; seed++) {
        const m = mutate(text, new Rng(seed), { kind, size: 1 });
        if (m && m.edits[0]!.before[0] === before) return m.recoverable;
      }
      throw new Error(`no edit of ${before}`);
    };
    expect(recoverable('y = f(x) + x\n', 'delete', 'x')).toBe(true); // another x stays
    expect(recoverable('y = f(x)\n', 'delete', 'f')).toBe(false); // the only f
    expect(recoverable('y = f(x, 42)\n', 'delete', '42')).toBe(false);
    expect(recoverable('y = f(x)\n', 'delete', '(')).toBe(true);
    expect(recoverable('if x:\n    pass\n', 'substitute', 'if')).toBe(true);
    for (let seed = 0; seed < 20; seed++) {
      expect(draw(seed, 'insert', 2)!.recoverable).toBe(true);
      expect(draw(seed, 'swap', 2)!.recoverable).toBe(true);
    }
  });

  it('draws inserted tokens from keywords, operators, and the names and short literals of the text', () => {
    const alphabet = tokenAlphabet(lex(FUNCTION).tokens);
    expect(alphabet.keyword).toContain('lambda');
    expect(alphabet.operator).toEqual(expect.arrayContaining(['(', ']', ':', ',', '.', '**=']));
    expect(alphabet.name).toEqual(expect.arrayContaining(['total', 'items', 'result']));
    expect(alphabet.literal).toEqual(expect.arrayContaining(['0', '"""Sum the items."""']));
  });

  it('gives up on texts without room for the kind', () => {
    expect(mutate('', new Rng(1), { kind: 'delete' })).toBeNull();
    expect(mutate('x\n', new Rng(1), { kind: 'swap' })).toBeNull();
    expect(mutate('x\n', new Rng(1), { kind: 'delete', size: 2 })).toBeNull();
  });
});
