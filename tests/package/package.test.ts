// The npm package as another project gets it: build and pack the tarball, install it into a fresh
// project, and fix a function from Node with the README's example. The project sits under build/
// so Node finds the tfjs peer dependencies in this repository's node_modules: the install needs
// no network (--offline) and no second copy of tfjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPackage } from '../../scripts/build-package';

const ROOT = resolve(__dirname, '../..');
const PROJECT = join(ROOT, 'build/package-test');

/** The README's example, as a user would write it. */
const EXAMPLE = `
import { load } from 'lstm-coding-optimizer';

const model = await load();                       // the shipped model, on wasm
const answer = await model.run({
  task: 'fix',
  mode: 'convergent',
  code: 'def count_positive(numbers):\\n    count = 0\\n    for n in numbers\\n        if n > 0:\\n            count += 1\\n    return count\\n',
});
console.log(JSON.stringify({ text: answer.text, backend: model.info.backend, noBug: answer.noBug }));
model.dispose();
`;

describe('the lstm-coding-optimizer package', () => {
  afterAll(() => rmSync(PROJECT, { recursive: true, force: true }));

  it('packs, installs into a fresh project and fixes a function from Node', () => {
    const tarball = buildPackage();
    rmSync(PROJECT, { recursive: true, force: true });
    mkdirSync(PROJECT, { recursive: true });
    writeFileSync(
      join(PROJECT, 'package.json'),
      JSON.stringify({ name: 'uses-the-package', private: true, type: 'module' }),
    );
    execFileSync(
      'npm',
      ['install', tarball, '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-package-lock'],
      { cwd: PROJECT, stdio: 'pipe' },
    );
    writeFileSync(join(PROJECT, 'example.mjs'), EXAMPLE);
    const result = spawnSync(process.execPath, ['example.mjs'], { cwd: PROJECT, encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
      text: string;
      backend: string;
      noBug: boolean;
    };
    expect(printed.backend).toBe('wasm');
    expect(printed.noBug).toBe(false);
    expect(printed.text).toContain('for n in numbers:');
  }, 240_000);
});
