// critic-diff as a user runs it (tsx src/cli/main.ts), on the committed folder of real functions:
// the --json shape, --min-agreement, and a clear refusal without Python.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SOURCE = 'tests/fixtures/critic-source';

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(TSX, ['src/cli/main.ts', 'critic-diff', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('critic-diff', () => {
  it('prints the summary as JSON: counts by kind and by message, shares of them, the Python version', () => {
    const run = cli(['--n', '120', '--seed', '3', '--source', SOURCE, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual([
      'n',
      'agree',
      'laxer',
      'stricter',
      'line_agree',
      'message_agree',
      'by_kind',
      'by_message',
      'python',
      'seconds',
    ]);
    expect(report.n).toBe(120);
    expect(report.agree + report.laxer + report.stricter).toBeCloseTo(1, 5);
    expect(Object.keys(report.by_kind)).toEqual(['original', 'insert', 'delete', 'substitute', 'swap']);
    expect(report.by_kind.original.n).toBe(30);
    const kindTotal = Object.values(report.by_kind as Record<string, { n: number }>).reduce((sum, k) => sum + k.n, 0);
    expect(kindTotal).toBe(120);
    // Most mutations break the code: Python refuses some texts, and says why.
    expect(Object.keys(report.by_message).length).toBeGreaterThan(0);
    expect(report.by_message['invalid syntax'].n).toBeGreaterThan(0);
    expect(report.python).toMatch(/^3\.\d+\.\d+/);
    // The same seed makes the same corpus.
    const again = JSON.parse(cli(['--n', '120', '--seed', '3', '--source', SOURCE, '--json']).stdout);
    expect({ ...again, seconds: 0 }).toEqual({ ...report, seconds: 0 });
  });

  it('exits 1 below --min-agreement, 0 at or above it', () => {
    const below = cli(['--n', '60', '--source', SOURCE, '--min-agreement', '1', '--json']);
    const agree = JSON.parse(below.stdout).agree as number;
    expect(below.status).toBe(agree < 1 ? 1 : 0);
    if (agree < 1) expect(below.stderr).toMatch(/below --min-agreement/);
    expect(cli(['--n', '60', '--source', SOURCE, '--min-agreement', String(agree), '--json']).status).toBe(0);
  });

  it('reports disagreements with examples in the text report', () => {
    const run = cli(['--n', '200', '--source', SOURCE]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^critic-diff: 200 texts/);
    expect(run.stdout).toMatch(/agreement \d+\.\d\d%; laxer/);
    expect(run.stdout).toContain("by Python's message");
  });

  it('says it needs Python, and exits 1, when there is none', () => {
    const run = cli(['--n', '10', '--source', SOURCE], { ...process.env, PYTHON: join(ROOT, 'no-such-python') });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot run Python \(.*no-such-python.*install python3 or set PYTHON/);
    expect(run.stdout).toBe('');
  });

  it('refuses bad arguments as usage errors', () => {
    expect(cli(['--n', '0']).status).toBe(2);
    expect(cli(['--min-agreement', '99.5']).status).toBe(2);
  });
});
