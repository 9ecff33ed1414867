// The command line prints our own output only: not tfjs's "install tfjs-node" banner, which the cpu
// backend prints on its first tensor in Node (tfjs-node cannot be installed here and would mislead).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModelDir } from '../../src/cli/model-dir';
import { initNodeBackend } from '../../src/platform/node/node';
import { tinyModelFiles } from '../model/tiny-model';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const BANNER = /TensorFlow\.js in Node|tfjs-node|={10,}/;
let dir: string;

function fix(backend: string) {
  const result = spawnSync(TSX, ['src/cli/main.ts', 'fix', '--models', join(dir, 'model'), '--backend', backend], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    input: 'def f(x)\n    return x\n',
  });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}`, stderr: result.stderr };
}

describe('quiet command line', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'lco-quiet-'));
    writeModelDir(join(dir, 'model'), await tinyModelFiles());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const backend of ['cpu', 'wasm']) {
    it(`fix on ${backend} prints its own progress line and no tfjs-node banner`, () => {
      const r = fix(backend);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^fix/convergent: .* ${backend}\\)$`, 'm'));
      expect(r.output).not.toMatch(BANNER);
    });
  }
});
