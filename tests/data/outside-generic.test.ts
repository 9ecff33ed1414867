// The outside sets of generic edits and no-harm texts: what Python refuses and accepts, the
// recoverable flag, the fixed halves, and no-harm texts shared with no other outside example.
import { describe, expect, it } from 'vitest';
import { compileWithPython } from '../../src/cli/python-compile';
import { checkPythonSyntax, Rng } from '../../src/model';
import { KEYWORDS, lex } from '../../src/model/internals';
import { differingLines } from '../../src/data/bugs';
import type { Example } from '../../src/data/examples';
import { mutate } from '../../src/data/mutate';
import { buildOutsideSet, normalizeOutsideFiles, outsideFunctions } from '../../src/data/outside';
import { buildGenericSet, MIN_FILE_MUTATION_LINE } from '../../src/data/outside-generic';
import { outsideHalf, OUTSIDE_HALVES } from '../../src/data/outside-half';
import { buildNoHarmSet } from '../../src/data/outside-no-harm';

const refusedByPython = (texts: readonly string[]) => compileWithPython(texts).labels.map((l) => !l.ok);

/** A file of n small classes, each method with a name and a literal of its own. */
function file(tag: string, n: number): string {
  const parts: string[] = ['import os', ''];
  for (let i = 0; i < n; i++) {
    parts.push(
      `class Box${tag}${i}:`,
      `    def size_${tag}_${i}(self, items: list) -> int:`,
      `        total = ${i + 7}`,
      '        for item in items:',
      '            if item > 0 and os.sep:',
      '                total += item',
      '        return total',
      '',
    );
  }
  return `${parts.join('\n')}\n`;
}

const files = normalizeOutsideFiles(
  Array.from({ length: 12 }, (_, i) => ({ path: `pkg${i % 3}/m${i}.py`, text: file(String(i), 20 + i) })),
);
const functions = outsideFunctions(files);
const named = buildOutsideSet(files, { seed: 1, perClass: 4, files: 2 });
const exclude = { keys: named.usedKeys, paths: new Set(named.filePaths) };
const generic = buildGenericSet(files, functions, exclude, { seed: 1, perCell: 3, files: 4 }, refusedByPython);
const noHarm = buildNoHarmSet(
  files,
  functions,
  { keys: new Set([...named.usedKeys, ...generic.usedKeys]), paths: new Set([...exclude.paths, ...generic.usedPaths]) },
  { seed: 1, functions: 20, files: 3 },
  refusedByPython,
);
const source = (e: Example) => e.fields!.source as string;

describe('generic outside edits', () => {
  it('holds inputs Python and the syntax check refuse, their targets accepted, every kind and size', () => {
    expect(generic.generic).toHaveLength(24);
    const inputs = compileWithPython(generic.generic.map((e) => e.input)).labels;
    const targets = compileWithPython(generic.generic.map((e) => e.target)).labels;
    expect(inputs.every((l) => !l.ok)).toBe(true);
    expect(targets.every((l) => l.ok)).toBe(true);
    for (const e of generic.generic) {
      expect(checkPythonSyntax(e.input).ok).toBe(false);
      expect(checkPythonSyntax(e.target).ok).toBe(true);
      expect(e.fields!.edits).toHaveLength(e.fields!.size as number);
    }
    const cells = new Set(generic.generic.map((e) => `${String(e.fields!.kind)}:${String(e.fields!.size)}`));
    expect(cells.size).toBe(8);
  });

  it('flags an edit that removes the text’s only copy of a literal or name as not recoverable', () => {
    const text = 'def f(items):\n    return 42 + items + items\n';
    const seen = new Map<string, boolean>();
    for (let seed = 0; seed < 60; seed++) {
      const m = mutate(text, new Rng(seed), { kind: 'delete', size: 1 });
      if (m) seen.set(m.edits[0]!.before[0]!, m.recoverable);
    }
    expect(seen.get('42')).toBe(false); // the only 42
    expect(seen.get('f')).toBe(false); // the only f
    expect(seen.get('items')).toBe(true); // two more remain
    expect(seen.get('return')).toBe(true); // a keyword is known
    // Each generic line's flag: every token it removed is a keyword, an operator or still in the input.
    for (const e of generic.generic) {
      const left = new Set(lex(e.input).tokens.map((t) => t.text));
      const removed = (e.fields!.edits as { before: string[]; after: string[] }[]).flatMap((edit) =>
        e.fields!.kind === 'delete' || e.fields!.kind === 'substitute' ? edit.before : [],
      );
      const known = removed.every((t) => !/^[\w"']/.test(t) || KEYWORDS.includes(t) || left.has(t));
      expect(e.fields!.recoverable).toBe(known);
    }
  });

  it('puts each whole-file edit past line 100, beside the same edit in its function alone', () => {
    expect(generic.files.length).toBeGreaterThan(0);
    generic.files.forEach((example, i) => {
      const lines = differingLines(example.input, example.target);
      expect(lines).toHaveLength(1);
      expect(lines[0]!).toBeGreaterThan(MIN_FILE_MUTATION_LINE);
      expect(example.fields!.file_line).toBe(lines[0]);
      const fn = generic.fileFunctions[i]!;
      expect(fn.fields!.source).toBe(example.fields!.source);
      expect(refusedByPython([example.input, fn.input, example.target, fn.target])).toEqual([true, true, false, false]);
    });
    expect([...generic.usedPaths].some((p) => exclude.paths.has(p))).toBe(false);
  });
});

describe('outside halves', () => {
  it('gives a path one half, the same every time and for each of its functions', () => {
    for (const f of files) {
      expect(OUTSIDE_HALVES).toContain(outsideHalf(f.path));
      expect(outsideHalf(`${f.path}:12`)).toBe(outsideHalf(f.path));
    }
    for (const e of [...generic.generic, ...generic.files, ...noHarm.functions, ...noHarm.files])
      expect(e.fields!.half).toBe(outsideHalf(source(e)));
  });

  it('splits many paths about evenly, the halves sharing none', () => {
    const paths = Array.from({ length: 400 }, (_, i) => `pkg${i % 7}/sub/file_${i}.py`);
    const tune = paths.filter((p) => outsideHalf(p) === 'tune');
    const report = paths.filter((p) => outsideHalf(p) === 'report');
    expect(tune.length + report.length).toBe(paths.length);
    expect(tune.some((p) => report.includes(p))).toBe(false);
    expect(tune.length).toBeGreaterThan(160);
    expect(report.length).toBeGreaterThan(160);
  });
});

describe('outside no-harm sets', () => {
  it('holds functions Python compiles that no other outside example was made from', () => {
    expect(noHarm.functions).toHaveLength(20);
    expect(refusedByPython(noHarm.functions.map((e) => e.input)).some(Boolean)).toBe(false);
    const taken = new Set([...named.functionSources, ...named.usedKeys, ...generic.usedKeys]);
    for (const e of noHarm.functions) {
      expect(e).toMatchObject({ task: 'fix', class: 'no_bug', input: e.target });
      expect(taken.has(source(e))).toBe(false);
    }
    expect(new Set(noHarm.functions.map(source)).size).toBe(20);
  });

  it('holds whole files no other outside example and no no-harm function came from', () => {
    expect(noHarm.files).toHaveLength(3);
    const functionPaths = new Set(noHarm.functions.map((e) => source(e).replace(/:\d+$/, '')));
    for (const e of noHarm.files) {
      expect(named.filePaths).not.toContain(source(e));
      expect(generic.usedPaths.has(source(e))).toBe(false);
      expect(functionPaths.has(source(e))).toBe(false);
      expect(e.input).toBe(e.target);
    }
  });
});
