// The corpus command with a fake downloader: wrong hashes, failed downloads and refused packages
// name the package and write nothing; a good wheel is unpacked, filtered and written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPypiCorpus, type CorpusOptions } from '../../src/cli/corpus';
import { lastLines, sha256File, type DownloadWheel } from '../../src/cli/corpus-wheels';

const LEAKED = 'def shared(x):\n    return x + 1\n';
const OWN = 'def own(a, b):\n    return a * b\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'corpus-'));
  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'site', 'six.py'), `import os\n\n${LEAKED}`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A wheel file of the given members, written by python3's zipfile (what the command unpacks with). */
function makeWheel(path: string, members: Record<string, string>): string {
  const script =
    'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n    for k, v in json.loads(sys.argv[2]).items(): z.writestr(k, v)';
  const result = spawnSync('python3', ['-c', script, path, JSON.stringify(members)], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return sha256File(path);
}

function options(name: string, sha256: string, download: DownloadWheel): CorpusOptions {
  const config = join(dir, 'corpus.toml');
  writeFileSync(config, `[[package]]\nname = "${name}"\nversion = "1.0"\nsha256 = "${sha256}"\nlicence = "MIT"\n`);
  return {
    config,
    out: join(dir, 'out'),
    cache: join(dir, 'cache'),
    limits: { maxTokens: 100, contextMaxTokens: 400 },
    installedRoots: [join(dir, 'site')],
    download,
    log: () => {},
  };
}

const GOOD = {
  'mypkg/__init__.py': '',
  'mypkg/core.py': `${OWN}\n${LEAKED}`,
  'mypkg/_vendor/lib.py': 'def vendored():\n    return 1\n',
  'tests/test_core.py': 'def test_own():\n    assert own(1, 2) == 2\n',
  'mypkg-1.0.dist-info/METADATA': 'Name: mypkg\n',
};

describe('corpus command', () => {
  it('refuses a wheel whose sha256 is not the pinned one, naming the package, writing nothing', async () => {
    const pinned = makeWheel(join(dir, 'pinned.whl'), GOOD);
    const fake: DownloadWheel = async (_pkg, to) =>
      void makeWheel(join(to, 'mypkg-1.0-py3-none-any.whl'), { 'mypkg/x.py': '' });
    await expect(buildPypiCorpus(options('mypkg', pinned, fake))).rejects.toThrow(
      /^mypkg 1\.0: the wheel's sha256 is [0-9a-f]{64}, the config pins/,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('names the package when its download fails', async () => {
    const offline: DownloadWheel = async () => {
      throw new Error('network is unreachable');
    };
    await expect(buildPypiCorpus(options('mypkg', 'a'.repeat(64), offline))).rejects.toThrow(
      'mypkg 1.0: download failed: network is unreachable',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses a package installed on the machine before downloading it', async () => {
    let asked = 0;
    const count: DownloadWheel = async () => void asked++;
    await expect(buildPypiCorpus(options('six', 'a'.repeat(64), count))).rejects.toThrow(
      /^six 1\.0 is refused: "six" is installed in/,
    );
    expect(asked).toBe(0);
  });

  it('refuses a wheel whose import name is installed on the machine', async () => {
    const wheel = join(dir, 'sixpack.whl');
    const sha = makeWheel(wheel, { 'six.py': OWN });
    const copy: DownloadWheel = async (_pkg, to) =>
      writeFileSync(join(to, 'sixpack-1.0-py3-none-any.whl'), readFileSync(wheel));
    await expect(buildPypiCorpus(options('sixpack', sha, copy))).rejects.toThrow(/sixpack 1\.0 is refused: "six"/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('writes the functions a good wheel adds and counts what it drops', async () => {
    const wheel = join(dir, 'good.whl');
    const sha = makeWheel(wheel, GOOD);
    const copy: DownloadWheel = async (_pkg, to) =>
      writeFileSync(join(to, 'mypkg-1.0-py3-none-any.whl'), readFileSync(wheel));
    const stats = await buildPypiCorpus(options('mypkg', sha, copy));
    expect(stats.packages[0]).toMatchObject({
      files: 2,
      refused_files: 2,
      functions: 1,
      leak_guard_drops: 1,
      duplicates: 0,
    });
    expect(readFileSync(join(dir, 'out', 'source', 'mypkg', 'mypkg', 'core.py'), 'utf8')).toBe(OWN);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'dataset_stats.json'), 'utf8')).totals.tokens).toBe(
      stats.totals.tokens,
    );
    // Cached: a second run downloads nothing and reads the leak guard's hashes back.
    const again = await buildPypiCorpus(
      options('mypkg', sha, async () => {
        throw new Error('downloaded again');
      }),
    );
    expect(again.leak_guard.cached).toBe(true);
    expect(again.totals).toEqual(stats.totals);
  });

  it("keeps a failed download's message short: pip's last three lines, each cut", () => {
    const versions = Array.from({ length: 200 }, (_, i) => `0.${i}.0 Requires-Python >=3.12`).join('; ');
    const pipError = [
      'Looking in links: /opt/wheels',
      `ERROR: Ignored the following versions that require a different python version: ${versions}`,
      'ERROR: Could not find a version that satisfies the requirement mypkg==1.0',
      'ERROR: No matching distribution found for mypkg==1.0',
    ].join('\n');
    const message = lastLines(pipError);
    expect(message).toMatch(/^ERROR: Ignored the following versions that require a different python version: 0\.0\.0/);
    expect(message).toContain('…');
    expect(message).toMatch(/ \/ ERROR: No matching distribution found for mypkg==1\.0$/);
    expect(message).not.toContain('Looking in links');
    expect(message.length).toBeLessThan(700);
  });
});
