// The eval and fix commands, run as a user would, on a tiny random model written to a temp dir.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/platform/node/node';
import { writeModelDir } from '../../src/cli/model-dir';
import { tinyModelFiles } from '../model/tiny-model';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
let dir: string;

function cli(args: string[], input?: string) {
  const result = spawnSync(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, input });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const GOOD_FIX = {
  task: 'fix',
  input: 'def f(x)\n    return x\n',
  target: 'def f(x):\n    return x\n',
  class: 'missing_colon',
};
const NO_BUG = {
  task: 'fix',
  input: 'def g(a):\n    return a\n',
  target: 'def g(a):\n    return a\n',
  class: 'no_bug',
};
const COMPLETE = { task: 'complete', input: 'def h(a):\n    b = a\n', target: '    return b' };

describe('eval and fix commands', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'lco-eval-'));
    writeModelDir(join(dir, 'model'), await tinyModelFiles());
    writeFileSync(
      join(dir, 'mixed.jsonl'),
      [
        JSON.stringify(GOOD_FIX),
        'not json at all',
        JSON.stringify({ task: 'translate', input: 'x', target: 'y' }),
        JSON.stringify({ task: 'fix', input: 'def f():\n    pass\n' }),
        JSON.stringify(NO_BUG),
        JSON.stringify(COMPLETE),
        // fix and complete take inputs of any length (whole files; the last tokens before the line): generate does not.
        JSON.stringify({
          task: 'generate',
          input: `def f(${Array.from({ length: 80 }, (_, i) => `a${i}`).join(', ')}):\n    """Sum."""\n`,
          target: 'def f(a0):\n    """Sum."""\n    return a0\n',
        }),
      ].join('\n'),
    );
    writeFileSync(join(dir, 'useless.jsonl'), 'nothing here\n{"task": 3}\n');
    writeFileSync(
      join(dir, 'fields.jsonl'),
      [
        { ...NO_BUG, half: 'tune', size: 1, source: 'a.py:1' },
        { ...NO_BUG, half: 'report', size: 1, source: 'b.py:1' },
        { ...GOOD_FIX, half: 'report', size: 2, recoverable: false, source: 'c.py:1' },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('eval reports bad lines with file and line, evaluates the rest, and prints the contract JSON', () => {
    const r = cli([
      'eval',
      '--data',
      join(dir, 'mixed.jsonl'),
      '--models',
      join(dir, 'model'),
      '--mode',
      'all',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('mixed.jsonl:2: not valid JSON');
    expect(r.stderr).toContain('mixed.jsonl:3: unknown task "translate"');
    expect(r.stderr).toMatch(/mixed\.jsonl:4: .*target/);
    expect(r.stderr).toMatch(/mixed\.jsonl:7: .*(long|tokens)/);
    const out = JSON.parse(r.stdout);
    expect(out.count).toBe(9); // 3 good lines × 3 modes
    expect(out.skipped).toBe(4);
    for (const key of ['exact_match', 'token_accuracy', 'no_harm_rate', 'parse_rate']) expect(out).toHaveProperty(key);
    expect(Object.keys(out.by_mode).sort()).toEqual(['convergent', 'divergent', 'hybrid']);
    expect(Object.keys(out.by_task).sort()).toEqual(['complete', 'fix']);
    expect(Object.keys(out.by_class).sort()).toEqual(['missing_colon', 'no_bug']);
    expect(out.by_class.no_bug.count).toBe(3);
    // The missing colon's rule puts the target among the convergent candidates whatever the model
    // scores; a no-bug line has no target to find.
    expect(out.by_mode_class.convergent.missing_colon.candidate_recall).toBe(1);
    expect(out.by_class.no_bug).not.toHaveProperty('candidate_recall');
    // The copy baseline returns the input: right on no_bug, wrong on the missing colon.
    expect(out.copy_baseline.by_class.no_bug.exact_match).toBe(1);
    expect(out.copy_baseline.by_class.missing_colon.exact_match).toBe(0);
  });

  it('eval keeps the lines --where names and breaks the metrics down by their other fields', () => {
    const args = ['eval', '--data', join(dir, 'fields.jsonl'), '--models', join(dir, 'model'), '--json'];
    const out = JSON.parse(cli([...args, '--where', 'half=report']).stdout);
    expect(out.count).toBe(2);
    expect(Object.keys(out.by_field).sort()).toEqual(['half', 'recoverable', 'size', 'source']);
    expect(Object.keys(out.by_field.half)).toEqual(['report']);
    expect(out.by_field.size['1'].count).toBe(1);
    expect(out.by_field.size['2'].count).toBe(1);
    expect(out.by_field.recoverable.false.count).toBe(1);
    const none = cli([...args, '--where', 'size=1', '--where', 'class=missing_colon']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no line has size=1 and class=missing_colon/);
  }, 180_000);

  it('eval refuses a file with nothing usable, in one line, exit 1', () => {
    const r = cli(['eval', '--data', join(dir, 'useless.jsonl'), '--models', join(dir, 'model'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^error: .*useless\.jsonl: no usable line \(2 skipped\)/);
  });

  it('fix prints an answer for code on standard input, and a one-line error for a missing model', () => {
    const ok = cli(
      ['fix', '--task', 'fix', '--mode', 'convergent', '--models', join(dir, 'model')],
      'def f(x)\n    return x\n',
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout.length).toBeGreaterThan(0);
    expect(ok.stderr).toMatch(/fix\/convergent: .*ms per decoder step/);
    // Exit 3: the code does not parse and no edit makes it parse; the input comes back unchanged.
    const unfixable = 'def f(x):\n    return (x + * /\n';
    const unfixed = cli(['fix', '--models', join(dir, 'model')], unfixable);
    expect(unfixed.code).toBe(3);
    expect(unfixed.stdout).toBe(unfixable);
    expect(unfixed.stderr).toMatch(/unfixed: the code does not parse/);
    // Exit 2: not Python at all.
    const prose = cli(['fix', '--models', join(dir, 'model')], 'The quick brown fox jumps over the lazy dog.\n');
    expect(prose.code).toBe(2);
    expect(prose.stderr).toMatch(/^error: not Python: /m);
    const missing = cli(['fix', '--models', join(dir, 'nowhere')], 'def f(x):\n    return x\n');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*nowhere\/lstm_weights\.bin: the file does not exist/m);
  });
});
