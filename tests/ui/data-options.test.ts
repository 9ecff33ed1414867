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
});
