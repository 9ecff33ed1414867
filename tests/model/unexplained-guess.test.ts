// The guesses a fix pass drops: each case is a change a model made to an outside no_bug function,
// beside a real fix of the same shape that must stay.
import { describe, expect, it } from 'vitest';
import { guessChecks } from '../../src/model/fix/unexplained-guess';

describe('self. before a loop variable or a class name', () => {
  const base = 'def outputs(self):\n    return [RichOutput(**kargs) for kargs in self._outputs]\n';
  it('is no missing self. (outside no_bug)', () => {
    expect(guessChecks(base).loopNames).toEqual(new Set(['kargs']));
    expect(guessChecks(base).addsSelfToNonAttribute(base.replace('**kargs', '**self.kargs'))).toBe(true);
    expect(guessChecks(base).addsSelfToNonAttribute(base.replace('[RichOutput', '[self.RichOutput'))).toBe(true);
    const builtin = 'def ok(self):\n    return all(f() for f in self.filters)\n';
    expect(guessChecks(builtin).addsSelfToNonAttribute(builtin.replace('all(', 'self.all('))).toBe(true);
    // Not a name: `**` before `self.`, or a regex character, never throws.
    const star = 'def f(self, k):\n    return g(**k)\n';
    expect(guessChecks(star).addsSelfToNonAttribute(star.replace('(**k)', '(self.**k)'))).toBe(false);
    const used = 'def f(self, t):\n    self.format = 1\n    return format(t)\n';
    expect(guessChecks(used).addsSelfToNonAttribute(used.replace('return format', 'return self.format'))).toBe(false);
  });
  it('leaves self. before other names to the model (a parameter assigned to itself)', () => {
    const missing = 'def __init__(self, value):\n    value = value\n';
    const fixed = missing.replace('    value =', '    self.value =');
    expect(guessChecks(missing).addsSelfToNonAttribute(fixed)).toBe(false);
    const graph = 'def f(self):\n    G1_adj = self.G1.adj\n';
    expect(guessChecks(graph).addsSelfToNonAttribute(graph.replace(' G1_adj', ' self.G1_adj'))).toBe(false);
  });
});

describe('a name swapped for another word', () => {
  const base = 'def outputs(self):\n    return [RichOutput(**kargs) for kargs in self._outputs]\n';
  it('is no fix; a typo fix is', () => {
    expect(guessChecks(base).swapsNameForOtherWord(base.replace('RichOutput(', 'name('))).toBe(true);
    expect(guessChecks(base).swapsNameForOtherWord(base.replace('RichOutput(', 'RichOtput('))).toBe(false);
    expect(guessChecks(base).swapsNameForOtherWord(base.replace('**kargs', '*kargs'))).toBe(false);
  });

  it('is no fix when a short name becomes a word two letters off (outside no_bug)', () => {
    const graph = 'def mark(G, b):\n    nx.set_node_attributes(G, b, "bipartite")\n    return G\n';
    expect(guessChecks(graph).swapsNameForOtherWord(graph.replace('nx.', 'b.'))).toBe(true);
    // One letter off stays a typo fix of a short name (`nc` for `nx`).
    expect(guessChecks(graph.replace('nx.', 'nc.')).swapsNameForOtherWord(graph)).toBe(false);
  });
});

describe('explains', () => {
  const base = 'def outputs(self):\n    return [RichOutput(**kargs) for kargs in self._outputs]\n';
  it('drops either guess and keeps a typo fix or a change of another shape', () => {
    const checks = guessChecks(base);
    expect(checks.explains(base.replace('**kargs', '**self.kargs'))).toBe(false);
    expect(checks.explains(base.replace('RichOutput(', 'name('))).toBe(false);
    expect(checks.explains(base.replace('RichOutput(', 'RichOtput('))).toBe(true);
    expect(checks.explains(base.replace(']\n', '\n'))).toBe(true);
  });
});

describe('a swap for another word, in the layout Python ignores', () => {
  it('is caught when the beam also moves the depth, or writes None for a type', () => {
    const base = 'def f(self, cb):\n    try:\n        x = cb(1)\n    except E:\n        pass\n';
    expect(guessChecks(base).swapsNameForOtherWord(base.replace('        x = cb(1)', '            x = len(1)'))).toBe(
      true,
    );
    const typed = 'def f(e: E) -> NotImplementedOrNone:\n    pass\n';
    expect(guessChecks(typed).swapsNameForOtherWord(typed.replace('NotImplementedOrNone', 'None'))).toBe(true);
    expect(guessChecks('def f():\n    return Noen\n').swapsNameForOtherWord('def f():\n    return None\n')).toBe(false);
  });
});

describe('self. before a local the method reads later', () => {
  it('is no missing self.; an assignment of a name to itself or with no bare read later is', () => {
    const local = 'def f(self):\n    md = {}\n    md["a"] = 1\n    return md\n';
    expect(guessChecks(local).addsSelfToNonAttribute(local.replace('    md = {}', '    self.md = {}'))).toBe(true);
    const itself = 'def f(self, value):\n    value = value\n    return value\n';
    expect(guessChecks(itself).addsSelfToNonAttribute(itself.replace('    value =', '    self.value ='))).toBe(false);
    const attribute = 'def f(self):\n    md = {}\n    self.md["a"] = 1\n';
    expect(guessChecks(attribute).addsSelfToNonAttribute(attribute.replace('    md = {}', '    self.md = {}'))).toBe(
      false,
    );
    const keyword = 'def f(self):\n    md = {}\n    return g(md=1)\n';
    expect(guessChecks(keyword).addsSelfToNonAttribute(keyword.replace('    md = {}', '    self.md = {}'))).toBe(false);
  });
});
