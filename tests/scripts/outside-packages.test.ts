// The pinned outside packages and what scripts/setup-test-env.sh installs of them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTSIDE_PACKAGES } from '../../src/data/outside-packages';
import { packagesToInstall } from '../../scripts/outside-packages';

const ROOT = resolve(__dirname, '../..');

describe('outside packages', () => {
  it('installs those missing or at another version, and nothing when all are as pinned', () => {
    const [pytest, hypothesis, ipython] = OUTSIDE_PACKAGES as [
      (typeof OUTSIDE_PACKAGES)[number],
      (typeof OUTSIDE_PACKAGES)[number],
      (typeof OUTSIDE_PACKAGES)[number],
    ];
    const located = [
      { ...pytest, path: '/site/_pytest', installed: pytest.version },
      { ...hypothesis, path: null, installed: null },
      { ...ipython, path: '/site/IPython', installed: '0.1.0' },
    ];
    expect(packagesToInstall(located)).toEqual([`hypothesis==${hypothesis.version}`, `ipython==${ipython.version}`]);
    expect(
      packagesToInstall(OUTSIDE_PACKAGES.map((p) => ({ ...p, path: `/site/${p.importName}`, installed: p.version }))),
    ).toEqual([]);
  });

  it('pins exact versions, one entry per package, and agrees with trainer/requirements.txt', () => {
    for (const p of OUTSIDE_PACKAGES) expect(p.version).toMatch(/^\d+(\.\d+)+$/);
    expect(new Set(OUTSIDE_PACKAGES.map((p) => p.importName)).size).toBe(OUTSIDE_PACKAGES.length);
    // A package pinned in both places at two versions would be reinstalled by each step of the setup.
    const requirements = readFileSync(resolve(ROOT, 'trainer/requirements.txt'), 'utf8');
    for (const [, name, version] of requirements.matchAll(/^([A-Za-z0-9_.-]+)==(\S+)$/gm)) {
      const outside = OUTSIDE_PACKAGES.find((p) => p.distribution.toLowerCase() === name!.toLowerCase());
      if (outside) expect(`${name}==${outside.version}`).toBe(`${name}==${version}`);
    }
  });
});
