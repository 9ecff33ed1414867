// When the worker's prepared data is the form's data (a start prepares it again otherwise).
import { describe, expect, it } from 'vitest';
import { sameDataOptions } from '../../src/ui/training/data-options';
import type { DataOptions } from '../../src/worker/training-protocol';

const BUILTIN: DataOptions = {
  source: { kind: 'builtin', functions: 600 },
  validationPercent: 10,
  seed: 42,
  maxTokens: 100,
};
const FILES: DataOptions = { ...BUILTIN, source: { kind: 'jsonl', files: [{ name: 'a.jsonl', text: '{}' }] } };

describe('sameDataOptions', () => {
  it('is true for equal options built apart, false when anything the worker reads differs', () => {
    expect(sameDataOptions(BUILTIN, { ...BUILTIN, source: { kind: 'builtin', functions: 600 } })).toBe(true);
    expect(sameDataOptions(BUILTIN, { ...BUILTIN, maxTokens: 64 })).toBe(false);
    expect(sameDataOptions(BUILTIN, { ...BUILTIN, source: { kind: 'builtin', functions: 300 } })).toBe(false);
    expect(sameDataOptions(BUILTIN, FILES)).toBe(false);
    expect(
      sameDataOptions(FILES, { ...FILES, source: { kind: 'jsonl', files: [{ name: 'a.jsonl', text: '{}' }] } }),
    ).toBe(true);
    expect(
      sameDataOptions(FILES, { ...FILES, source: { kind: 'jsonl', files: [{ name: 'a.jsonl', text: '[]' }] } }),
    ).toBe(false);
    expect(
      sameDataOptions(FILES, { ...FILES, source: { kind: 'python', files: [{ name: 'a.jsonl', text: '{}' }] } }),
    ).toBe(false);
    expect(sameDataOptions(null, BUILTIN)).toBe(false);
  });

  it('tells "your code" apart by the held-out examples per class and what was skipped', () => {
    const code: DataOptions = {
      ...BUILTIN,
      source: {
        kind: 'adapt',
        files: [{ name: 'a.py', text: 'x = 1\n' }],
        where: 'proj',
        listed: 2,
        skipped: [],
        skippedFolders: [],
        notPython: 1,
        perClass: 150,
      },
    };
    const same = structuredClone(code);
    expect(sameDataOptions(code, same)).toBe(true);
    expect(sameDataOptions(code, { ...code, source: { ...code.source, perClass: 20 } as DataOptions['source'] })).toBe(
      false,
    );
    const skipped = { ...code.source, skipped: [{ path: 'b.py', reason: 'binary' as const }] } as DataOptions['source'];
    expect(sameDataOptions(code, { ...code, source: skipped })).toBe(false);
  });
});
