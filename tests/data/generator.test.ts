import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { normalizedKey } from '../../src/data/extract';
import { generateFunctions, TEMPLATE_NAMES } from '../../src/data/generator';
import { lex } from '../../src/model/internals';

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

describe('generateFunctions', () => {
  const functions = generateFunctions(2000, 42);

  it('is deterministic per seed, and function i depends only on (seed, i)', () => {
    expect(generateFunctions(50, 42).map((f) => f.text)).toEqual(functions.slice(0, 50).map((f) => f.text));
    expect(generateFunctions(50, 43).map((f) => f.text)).not.toEqual(functions.slice(0, 50).map((f) => f.text));
    expect(functions.map((f) => f.index)).toEqual(functions.map((_, i) => i));
  });

  it('has at least 25 templates and uses every one', () => {
    expect(TEMPLATE_NAMES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(functions.map((f) => f.template))).toEqual(new Set(TEMPLATE_NAMES));
  });

  it('varies: most functions are distinct as token sequences', () => {
    const distinct = new Set(functions.map((f) => normalizedKey(f.text))).size;
    expect(distinct / functions.length).toBeGreaterThan(0.75);
  });

  it('writes clean code: def at column 0, four-space indentation, lexes without problems', () => {
    for (const f of functions) {
      expect(f.text.startsWith(`def ${f.name}(`)).toBe(true);
      expect(f.text.endsWith('\n')).toBe(true);
      expect(lex(f.text).problems).toEqual([]);
      for (const line of f.text.split('\n')) expect(/^ */.exec(line)![0].length % 4).toBe(0);
    }
  });

  it('covers the idioms the bug injectors need', () => {
    const all = functions.map((f) => f.text).join('\n');
    for (const op of [' == ', ' != ', ' < ', ' <= ', ' > ', ' >= ']) expect(all).toContain(op);
    for (const idiom of ['range(len(', 'while ', 'try:', 'except ', 'self.', ' for ', 'f"', '.format(', '=None', '"""', 'elif ', ' -> ']) {
      expect(all).toContain(idiom);
    }
    expect(functions.filter((f) => f.text.includes('"""')).length / functions.length).toBeGreaterThan(0.4);
  });

  it.skipIf(!hasPython)('compiles with python3', () => {
    const script = 'import json,sys\nbad=[t for t in json.load(sys.stdin) if not compile(t,"g","exec")]\n';
    const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(functions.map((f) => f.text)), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
