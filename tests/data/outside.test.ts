// The outside measuring set: deterministic by seed, classes dealt round-robin, file bugs in the
// second half of the file and the same bug in the function alone.
import { describe, expect, it } from 'vitest';
import { buildOutsideSet, spliceFunctionBug } from '../../src/data/outside';
import { differingLines } from '../../src/data/bugs';

function file(n: number): string {
  const parts: string[] = ['import os', ''];
  for (let i = 0; i < n; i++) {
    parts.push(`class Box${i}:`, `    def size_${i}(self, items: list) -> int:`, '        total = 0', '        for item in items:', '            if item > 0:',
      '                total += item', '        return total', '');
  }
  return `${parts.join('\n')}\n`;
}

describe('outside set', () => {
  const files = [{ path: 'pkg/a.py', text: file(25) }, { path: 'pkg/b.py', text: file(30) }];

  it('is the same for the same seed and differs for another', () => {
    const a = buildOutsideSet(files, { seed: 1, perClass: 5, files: 2 });
    expect(buildOutsideSet(files, { seed: 1, perClass: 5, files: 2 })).toEqual(a);
    expect(buildOutsideSet(files, { seed: 2, perClass: 5, files: 2 }).functions).not.toEqual(a.functions);
    expect(a.functions.slice(0, 3).map((e) => e.class)).toEqual(['no_bug', 'missing_colon', 'unclosed_bracket']);
  });

  it('puts each file bug in the second half, on one line, beside the same bug in its function alone', () => {
    const set = buildOutsideSet(files, { seed: 1, perClass: 5, files: 2 });
    expect(set.files).toHaveLength(2);
    set.files.forEach((example, i) => {
      const lines = differingLines(example.input, example.target);
      expect(lines).toHaveLength(1);
      expect(lines[0]!).toBeGreaterThan(example.target.split('\n').length / 2);
      const fn = set.fileFunctions[i]!;
      expect(differingLines(fn.input, fn.target)).toHaveLength(1);
      expect(fn.class).toBe(example.class);
    });
  });

  it('completes a next line of functions no fix example holds, the input being the text before it', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ path: `pkg/m${i}.py`, text: file(20 + i) }));
    const set = buildOutsideSet(many, { seed: 1, perClass: 2, files: 0 });
    expect(set.complete.length).toBeGreaterThan(0);
    const fixed = new Set(set.functions.map((e) => e.target));
    for (const e of set.complete) {
      expect(e.task).toBe('complete');
      expect(e.target.trim()).not.toBe('');
      expect(e.target).not.toContain('\n');
      expect([...fixed].some((t) => t.startsWith(e.input + e.target))).toBe(false);
    }
  });

  it('writes documented functions no other example holds as generate examples', () => {
    const documented = (n: number) =>
      Array.from({ length: n }, (_, i) => `def half_${n}_${i}(x):\n    """Half of x."""\n    y = x / 2\n    return y\n`).join('\n');
    const many = Array.from({ length: 4 }, (_, i) => ({ path: `pkg/d${i}.py`, text: documented(20 + i) }));
    const set = buildOutsideSet(many, { seed: 1, perClass: 3, files: 0 });
    expect(set.generate).toHaveLength(3);
    const taken = new Set([...set.functions.map((e) => e.target), ...set.complete.map((e) => e.input.split('\n')[0])]);
    for (const e of set.generate) {
      expect(e.task).toBe('generate');
      expect(e.input).toMatch(/^def half_\d+_\d+\(x\):\n {4}"""Half of x."""\n$/);
      expect(e.target.startsWith(e.input)).toBe(true);
      expect(taken.has(e.target)).toBe(false);
      expect(taken.has(e.input.split('\n')[0])).toBe(false);
    }
  });

  it('splices a dedented function bug back with its indentation', () => {
    const text = 'class A:\n    def f(self):\n        return 1\n';
    expect(spliceFunctionBug(text, 2, 'def f(self):\n    return 1\n', 'def f(self)\n    return 1\n')).toBe('class A:\n    def f(self)\n        return 1\n');
  });
});
