// The adapt command as a user runs it, on a tiny random model and a temp folder of generated Python
// with every kind of file it must skip; and each kind of input it must refuse, exit 1 with words.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/platform/node/node';
import { writeModelDir } from '../../src/cli/model-dir';
import { generateFunctions } from '../../src/data/generator';
import { MIN_FUNCTIONS } from '../../src/data/adapt-examples';
import { tinyModelFiles } from '../model/tiny-model';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
// Generous: the convergent search is slow on a loaded machine, even for a tiny model.
const CLI_TIMEOUT_MS = 300_000;
let dir: string;

function cli(args: string[]) {
  const result = spawnSync(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder of `files` modules of `perFile` generated functions each. */
function writeProject(path: string, files: number, perFile: number): void {
  mkdirSync(path, { recursive: true });
  const functions = generateFunctions(files * perFile, 11);
  for (let i = 0; i < files; i++)
    writeFileSync(
      join(path, `module_${i}.py`),
      functions
        .slice(i * perFile, (i + 1) * perFile)
        .map((fn) => fn.text)
        .join('\n\n'),
    );
}

describe('adapt command', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'lco-adapt-'));
    writeModelDir(join(dir, 'model'), await tinyModelFiles());
    const project = join(dir, 'project');
    writeProject(project, 8, 6);
    for (const skipped of ['node_modules', '.hidden', 'venv', 'build']) writeProject(join(project, skipped), 1, 3);
    writeFileSync(join(project, 'binary.py'), new Uint8Array([0x78, 0x00, 0x01]));
    writeFileSync(join(project, 'latin1.py'), new Uint8Array([0x78, 0x3d, 0x27, 0xe9, 0x27, 0x0a]));
    writeFileSync(join(project, 'broken.py'), 'def f(x)\n    return x\n');
    writeFileSync(join(project, 'notes.txt'), 'not Python');
    symlinkSync(join(project, 'module_0.py'), join(project, 'link.py'));
  }, CLI_TIMEOUT_MS);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'measures before and after per class, writes the model and the report, skipping what it must',
    () => {
      const out = join(dir, 'out');
      const r = cli([
        'adapt',
        '--source',
        join(dir, 'project'),
        '--minutes',
        '0.05',
        '--per-class',
        '1',
        '--models',
        join(dir, 'model'),
        '--out',
        out,
        '--backend',
        'cpu',
        '--json',
      ]);
      expect(r.stderr).not.toMatch(/^error/m);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Record<string, unknown> & {
        before: Record<string, { n: number; exact: number; low: number; high: number }>;
        after: Record<string, { n: number }>;
        train_files: string[];
        heldout_files: string[];
        skipped: Record<string, number>;
        skipped_folders: string[];
      };
      for (const key of ['before', 'after', 'train_files', 'heldout_files', 'examples', 'minutes', 'tokens', 'backend'])
        expect(report).toHaveProperty(key);
      expect(report.backend).toBe('cpu');
      expect(report.train_files.length + report.heldout_files.length).toBe(8);
      expect(report.train_files.filter((f) => report.heldout_files.includes(f))).toEqual([]);
      const noBug = report.before['no_bug']!;
      expect(noBug.n).toBeGreaterThan(0);
      expect(noBug.low).toBeLessThanOrEqual(noBug.exact / noBug.n);
      expect(noBug.high).toBeGreaterThanOrEqual(noBug.exact / noBug.n);
      expect(Object.keys(report.after)).toEqual(Object.keys(report.before));
      expect(report.skipped).toMatchObject({ binary: 1, not_utf8: 1, does_not_compile: 1, symlink: 1 });
      expect([...report.skipped_folders].sort()).toEqual(['.hidden', 'build', 'node_modules', 'venv']);
      for (const file of [
        'lstm_weights.bin',
        'model_config.toml',
        'tokenizer.json',
        'adapt_report.json',
        'adapt_report.md',
      ])
        expect(existsSync(join(out, file))).toBe(true);
      expect(readFileSync(join(out, 'adapt_report.md'), 'utf8')).toContain('| no_bug |');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'refuses each kind of bad input with exit 1 and the counts',
    () => {
      const models = ['--models', join(dir, 'model'), '--out', join(dir, 'refused'), '--minutes', '0.05'];
      const empty = join(dir, 'empty');
      mkdirSync(empty);
      writeFileSync(join(empty, 'README.md'), 'no code here');
      let r = cli(['adapt', '--source', empty, ...models]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: no Python file in ${empty} (1 file looked at)`);

      const few = join(dir, 'few');
      writeProject(few, 3, 4);
      writeFileSync(join(few, 'broken.py'), 'def f(x)\n    return x\n');
      r = cli(['adapt', '--source', few, ...models]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `hold 12 functions the model can read (at most 64 tokens); at least ${MIN_FUNCTIONS} are needed: add 8 more (skipped: 1 does not compile)`,
      );

      const unreadable = join(dir, 'unreadable');
      mkdirSync(unreadable);
      writeFileSync(join(unreadable, 'a.py'), new Uint8Array([0xff, 0xfe, 0x41]));
      r = cli(['adapt', '--source', unreadable, ...models]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('could be read (1 file looked at); skipped: 1 not UTF-8 text');

      r = cli(['adapt', '--source', join(dir, 'missing'), ...models]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('is not a folder');
      expect(existsSync(join(dir, 'refused'))).toBe(false);

      r = cli(['adapt', '--minutes', '1']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--source DIR');
    },
    4 * CLI_TIMEOUT_MS,
  );
});
