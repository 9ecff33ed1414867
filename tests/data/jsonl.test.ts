import { describe, expect, it } from 'vitest';
import { formatProblem, parseJsonl, toJsonl } from '../../src/data/jsonl';
import type { Example } from '../../src/data/examples';

const GOOD_FIX: Example = { task: 'fix', input: 'def f(x)\n    return x\n', target: 'def f(x):\n    return x\n', class: 'missing_colon' };
const GOOD_COMPLETE: Example = { task: 'complete', input: 'def f(x):\n', target: '    return x' };
const GOOD_GENERATE: Example = { task: 'generate', input: 'def f(x):\n    """Identity."""\n', target: 'def f(x):\n    """Identity."""\n    return x\n' };

describe('parseJsonl', () => {
  it('round-trips examples through toJsonl', () => {
    const text = toJsonl([GOOD_FIX, GOOD_COMPLETE, GOOD_GENERATE]);
    expect(text.split('\n')).toHaveLength(4);
    expect(text.startsWith('{"task":"fix","input":')).toBe(true);
    expect(parseJsonl(text, 'a.jsonl')).toEqual({ examples: [GOOD_FIX, GOOD_COMPLETE, GOOD_GENERATE], problems: [] });
  });

  it('reports each bad line with its 1-based number and reason, and keeps the good ones', () => {
    const long = `def f():\n${'    x = 1\n'.repeat(30)}`;
    const lines = [
      JSON.stringify(GOOD_FIX), // 1
      '{"task": "fix", "input": ', // 2 not JSON
      '[1, 2]', // 3 not an object
      '', // 4 blank: ignored
      JSON.stringify({ task: 'fix', target: 'x' }), // 5 missing input
      JSON.stringify({ task: 'fix', input: 3, target: 'x' }), // 6 input not a string
      JSON.stringify({ task: 'translate', input: 'x', target: 'y' }), // 7 unknown task
      JSON.stringify({ task: 'fix', input: long, target: long }), // 8 too long
      JSON.stringify({ task: 'fix', input: '   ', target: 'def f():\n    pass\n' }), // 9 empty input
      JSON.stringify({ task: 'fix', input: 'def f(x)\n    return x +\n', target: 'def f(x):\n    return x\n' }), // 10 two lines differ
      JSON.stringify({ input: 'x', target: 'y' }), // 11 missing task
      JSON.stringify({ ...GOOD_COMPLETE, class: 5 }), // 12 class not a string
      JSON.stringify(GOOD_COMPLETE), // 13
    ];
    const { examples, problems } = parseJsonl(lines.join('\n'), 'data/user.jsonl', { maxTokens: 100 });
    expect(examples).toEqual([GOOD_FIX, GOOD_COMPLETE]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
    const reasons = problems.map((p) => p.reason);
    expect(reasons[0]).toMatch(/^not valid JSON/);
    expect(reasons[1]).toMatch(/expected a JSON object.*an array/);
    expect(reasons[2]).toBe('missing "input"');
    expect(reasons[3]).toBe('"input" must be a string, found number');
    expect(reasons[4]).toMatch(/^unknown task "translate"/);
    expect(reasons[5]).toBe('"input" has 128 tokens; the maximum is 100'); // def f ( ) : NEWLINE INDENT, 30 × 4, DEDENT
    expect(reasons[6]).toBe('"input" is empty');
    expect(reasons[7]).toMatch(/lines 1, 2 differ/);
    expect(reasons[8]).toMatch(/^missing "task"/);
    expect(reasons[9]).toBe('"class" must be a string, found number');
    expect(formatProblem(problems[0]!)).toMatch(/^data\/user\.jsonl:2: not valid JSON/);
  });

  it('accepts CRLF line breaks and can skip the encodability check', () => {
    const text = `${JSON.stringify(GOOD_FIX)}\r\n${JSON.stringify({ task: 'fix', input: 'a\nb\n', target: 'c\nd\n' })}\r\n`;
    expect(parseJsonl(text, 'w.jsonl').problems.map((p) => p.line)).toEqual([2]);
    expect(parseJsonl(text, 'w.jsonl', { checkEncodable: false }).examples).toHaveLength(2);
  });
  it('keeps a line\'s other fields and writes them back after class', () => {
    const line = { ...GOOD_FIX, class: 'generic', kind: 'swap', size: 2, recoverable: true, edits: [{ line: 1 }] };
    const { examples } = parseJsonl(JSON.stringify(line), 'g.jsonl');
    expect(examples[0]!.fields).toEqual({ kind: 'swap', size: 2, recoverable: true, edits: [{ line: 1 }] });
    expect(toJsonl(examples)).toBe(`${JSON.stringify(line)}\n`);
    expect(toJsonl([GOOD_FIX])).toBe(`${JSON.stringify(GOOD_FIX)}\n`);
  });

  it('ignores another field nested too deep to write back, and keeps the example', () => {
    const depth = 200_000;
    const line = `${JSON.stringify(GOOD_FIX).slice(0, -1)}, "deep": ${'['.repeat(depth)}${']'.repeat(depth)}, "kind": "swap"}`;
    const { examples, problems } = parseJsonl(line, 'g.jsonl');
    expect(problems).toEqual([]);
    expect(examples[0]!.fields).toEqual({ kind: 'swap' });
    expect(toJsonl(examples)).toBe(`${JSON.stringify({ ...GOOD_FIX, kind: 'swap' })}\n`);
  });
});
