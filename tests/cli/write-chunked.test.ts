// A file written a slice at a time holds the same bytes as its text written at once, ids lines
// keeping their line numbers across slices.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeChunked } from '../../src/cli/write-chunked';
import type { Example } from '../../src/data/examples';
import { idsJsonl } from '../../src/data/ids-file';
import { toJsonl } from '../../src/data/jsonl';
import { Vocabulary } from '../../src/model';

const dir = mkdtempSync(join(tmpdir(), 'chunked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const examples: Example[] = Array.from({ length: 7 }, (_, i) => ({
  task: 'fix',
  input: `def f${i}(x)\n    return x\n`,
  target: `def f${i}(x):\n    return x\n`,
  class: 'missing_colon',
}));

describe('writeChunked', () => {
  it('writes the same bytes as the whole text, for every slice size', () => {
    const vocab = Vocabulary.build(new Map([['x', 3]]), 300);
    for (const size of [1, 2, 3, 7, 100]) {
      const jsonl = join(dir, `e${size}.jsonl`);
      writeChunked(jsonl, examples.length, (a, b) => toJsonl(examples.slice(a, b)), size);
      expect(readFileSync(jsonl, 'utf8')).toBe(toJsonl(examples));
      const ids = join(dir, `e${size}.ids.jsonl`);
      writeChunked(ids, examples.length, (a, b) => idsJsonl(examples.slice(a, b), vocab, a + 1).text, size);
      expect(readFileSync(ids, 'utf8')).toBe(idsJsonl(examples, vocab).text);
    }
  });

  it('writes an empty file for no items', () => {
    const path = join(dir, 'empty.jsonl');
    writeChunked(path, 0, () => 'never');
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});
