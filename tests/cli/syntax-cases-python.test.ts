// The labels of tests/fixtures/syntax-cases.json are Python's own: python3 labels every case again
// and each label must be the stored one. Labels depend on Python's minor version (3.12 words some
// messages otherwise), so a machine with another one is told so rather than shown a diff.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWithPython, pythonVersion, type CompileLabel } from '../../src/cli/python-compile';

interface StoredCase {
  text: string;
  origin: string;
  cpython: Omit<CompileLabel, 'error'> & { error?: string | null };
}

const fixture = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/syntax-cases.json'), 'utf8')) as {
  python: string;
  cases: StoredCase[];
};
const minor = (version: string) => version.split('.').slice(0, 2).join('.');

describe('syntax cases labelled by python3', () => {
  it('are labelled by the Python minor version on this machine', () => {
    expect(
      minor(pythonVersion()),
      `the labels are Python ${fixture.python}'s; rebuild them with tools/build-syntax-cases.ts under this Python, or use ${minor(fixture.python)}`,
    ).toBe(minor(fixture.python));
  });

  it('each stored label is what compile() says now', () => {
    const { labels } = compileWithPython(fixture.cases.map((c) => c.text));
    const differing = fixture.cases
      .map((c, i) => ({ origin: c.origin, stored: c.cpython, now: labels[i]! }))
      .filter(
        ({ stored, now }) =>
          stored.ok !== now.ok ||
          stored.line !== now.line ||
          stored.column !== now.column ||
          stored.message !== now.message ||
          stored.error !== now.error,
      );
    expect(differing.slice(0, 5)).toEqual([]);
  });
});
