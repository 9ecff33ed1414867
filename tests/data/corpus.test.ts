import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCorpus, functionHash, functionHashes } from '../../src/data/corpus';
import { CorpusConfigError, hashedRequirement, parseCorpusConfig } from '../../src/data/corpus-config';
import {
  installedName,
  normalizePackageName,
  packageRefusal,
  refusedFileDir,
  refusedNames,
  type InstalledFolder,
} from '../../src/data/corpus-refusal';
import { countTokens, extractFunctions } from '../../src/data/extract';
import { OUTSIDE_PACKAGES } from '../../src/data/outside-packages';
import type { FolderEntry } from '../../src/data/python-files';

const dir = (name: string): FolderEntry => ({ name, isDirectory: () => true, isFile: () => false });
const file = (name: string): FolderEntry => ({ name, isDirectory: () => false, isFile: () => true });

const DIST_PACKAGES: InstalledFolder = {
  path: '/usr/lib/python3/dist-packages',
  entries: [dir('apt'), dir('__pycache__'), file('six.py'), file('distutils-precedence.pth'), dir('PyYAML-6.0.1.dist-info')],
};
const VENDOR: InstalledFolder = {
  path: '/usr/lib/python3/dist-packages/pip/_vendor',
  entries: [dir('rich'), file('__init__.py'), file('typing_extensions.py')],
};
const SITE_PACKAGES: InstalledFolder = {
  path: '/opt/python/site-packages',
  entries: [dir('torch'), file('_yaml.cpython-311-x86_64-linux-gnu.so'), dir('numpy.libs')],
};
const REFUSED = refusedNames(
  [DIST_PACKAGES, VENDOR, SITE_PACKAGES],
  [{ importName: '_pytest', distribution: 'pytest', version: '9.2.0' }],
);

describe('refused packages', () => {
  it('reads names of packages, modules, extension modules and installed distributions, nothing else', () => {
    expect(installedName(dir('apt'))).toBe('apt');
    expect(installedName(file('six.py'))).toBe('six');
    expect(installedName(file('_yaml.cpython-311-x86_64-linux-gnu.so'))).toBe('_yaml');
    expect(installedName(dir('PyYAML-6.0.1.dist-info'))).toBe('PyYAML');
    for (const entry of [dir('__pycache__'), file('x.pth'), dir('numpy.libs'), file('__init__.py'), file('README.txt')])
      expect(installedName(entry)).toBeUndefined();
  });

  it('refuses a top-level package or module of dist-packages, by distribution or import name', () => {
    expect(packageRefusal('apt', [], REFUSED)).toContain('/usr/lib/python3/dist-packages');
    expect(packageRefusal('some-dist', ['six'], REFUSED)).toContain('"six" is installed in /usr/lib/python3/dist-packages');
    expect(packageRefusal('pyyaml', [], REFUSED)).toContain('dist-packages');
  });

  it('refuses what a vendor folder under dist-packages holds', () => {
    expect(packageRefusal('rich', ['rich'], REFUSED)).toContain('pip/_vendor');
    expect(packageRefusal('Typing_Extensions', [], REFUSED)).toContain('pip/_vendor');
  });

  it("refuses the machine Python's site-packages", () => {
    expect(packageRefusal('torch', [], REFUSED)).toContain('/opt/python/site-packages');
    expect(packageRefusal('pyyaml-ext', ['_yaml'], REFUSED)).toContain('/opt/python/site-packages');
  });

  it('refuses the outside packages by either name', () => {
    expect(packageRefusal('pytest', [], REFUSED)).toContain('outside package');
    expect(packageRefusal('other', ['_pytest'], REFUSED)).toContain('outside package');
  });

  it('takes a package installed nowhere', () => {
    expect(packageRefusal('httpx', ['httpx'], REFUSED)).toBeUndefined();
    expect(normalizePackageName('ruamel.yaml')).toBe('ruamel-yaml');
  });
});

describe('refused files', () => {
  it.each([
    ['pkg/_vendor/six.py', '_vendor'],
    ['pkg/vendor/lib/x.py', 'vendor'],
    ['pkg/test/x.py', 'test'],
    ['tests/conftest.py', 'tests'],
  ])('refuses %s (under %s)', (path, folder) => {
    expect(refusedFileDir(path)).toBe(folder);
  });

  it('reads other files, test-like names included', () => {
    for (const path of ['pkg/testing/x.py', 'pkg/test_x.py', 'pkg/tests.py', 'vendor.py'])
      expect(refusedFileDir(path)).toBeUndefined();
  });
});

const SHA = 'ab'.repeat(32);

describe('corpus.toml', () => {
  it('reads the pinned packages in order', () => {
    const text = `[[package]]\nname = "httpx"\nversion = "0.28.1"\nsha256 = "${SHA}"\nlicence = "BSD-3-Clause"\n`;
    const [pkg] = parseCorpusConfig(text);
    expect(pkg).toEqual({ name: 'httpx', version: '0.28.1', sha256: SHA, licence: 'BSD-3-Clause' });
    expect(hashedRequirement(pkg!)).toBe(`httpx==0.28.1 --hash=sha256:${SHA}`);
  });

  it.each([
    ['GPL-3.0-only', SHA, /licence "GPL-3.0-only"/],
    ['MIT', 'abc', /sha256 must be 64/],
    ['MIT OR GPL-2.0-or-later', SHA, /is not one of/],
  ])('refuses licence %s / sha256 %s', (licence, sha256, message) => {
    const text = `[[package]]\nname = "x"\nversion = "1"\nsha256 = "${sha256}"\nlicence = "${licence}"\n`;
    expect(() => parseCorpusConfig(text)).toThrow(message);
  });

  it('takes an SPDX expression of permissive licences', () => {
    const text = `[[package]]\nname = "x"\nversion = "1"\nsha256 = "${SHA}"\nlicence = "Apache-2.0 AND MIT"\n`;
    expect(parseCorpusConfig(text)[0]!.licence).toBe('Apache-2.0 AND MIT');
  });

  it("the repository's training/corpus.toml parses and lists no outside package", () => {
    const packages = parseCorpusConfig(readFileSync('training/corpus.toml', 'utf8'));
    const outside = refusedNames([], OUTSIDE_PACKAGES);
    expect(packages.filter((pkg) => packageRefusal(pkg.name, [], outside) !== undefined)).toEqual([]);
  });

  it('refuses a package listed twice and an empty file', () => {
    const entry = (name: string) => `[[package]]\nname = "${name}"\nversion = "1"\nsha256 = "${SHA}"\nlicence = "MIT"\n`;
    expect(() => parseCorpusConfig(entry('a_b') + entry('A-B'))).toThrow(/listed twice/);
    expect(() => parseCorpusConfig('')).toThrow(CorpusConfigError);
  });
});

const SHORT = 'def add(a, b):\n    return a + b\n';
const OUTER = 'def outer(xs):\n    def inner(x):\n        return x * 2\n    return [inner(x) for x in xs]\n';
const INNER_ALONE = 'def inner(x):\n    return x * 2\n';
const LONG = `def long(x):\n${Array.from({ length: 30 }, (_, i) => `    x = x + ${i}\n`).join('')}    return x\n`;
const LIMITS = { maxTokens: 100, contextMaxTokens: 400 };

describe('buildCorpus', () => {
  const pkg = (name: string, files: Record<string, string>) => ({
    name,
    version: '1.0',
    files: Object.entries(files).map(([path, text]) => ({ path: `${name}/${path}`, text })),
    refusedFiles: 0,
    unreadableFiles: 0,
  });

  it('keeps each function once across packages and counts tokens by the model limits', () => {
    expect(countTokens(LONG)).toBeGreaterThan(100);
    const result = buildCorpus(
      [pkg('a', { 'm.py': `${SHORT}\n${LONG}` }), pkg('b', { 'n.py': `def add(a,b):\n        # again\n        return a+b\n` })],
      new Set(),
      LIMITS,
    );
    const [a, b] = result.packages;
    expect(a).toMatchObject({ functions: 1, tokens: countTokens(SHORT), context_functions: 1, duplicates: 0 });
    expect(a!.context_tokens).toBe(countTokens(LONG));
    expect(b).toMatchObject({ functions: 0, duplicates: 1 });
    expect(result.files.map((f) => f.path)).toEqual(['a/m.py']);
  });

  it('drops a function the installed trees hold, and any function holding it', () => {
    const leak = functionHashes([{ path: 'site/x.py', text: `class K:\n    ${INNER_ALONE.replace(/\n {4}/g, '\n        ')}` }], 400);
    expect(leak.has(functionHash(INNER_ALONE))).toBe(true);
    const result = buildCorpus([pkg('a', { 'm.py': `${SHORT}\n${OUTER}` })], leak, LIMITS);
    expect(result.packages[0]).toMatchObject({ functions: 1, leak_guard_drops: 2 });
    expect(result.files[0]!.text).toBe(SHORT);
  });

  it('writes files that extract back to the kept functions', () => {
    const result = buildCorpus([pkg('a', { 'm.py': `class C:\n    def f(self):\n        return 1\n\n${SHORT}` })], new Set(), LIMITS);
    const back = extractFunctions(result.files[0]!.text, 'a/m.py').map((fn) => fn.text);
    expect(back).toEqual(['def f(self):\n    return 1\n', SHORT]);
  });
});
