// finish --previous reuses a previous model's figures only when they were taken on the same examples.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reusableEval } from '../../src/cli/train-finish';
import type { MeasuredEval } from '../../src/train/metrics-file';

describe('figures of the previous model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reusable-'));
  const path = join(dir, 'test.jsonl');
  const measured = (text: string, limit = 10) =>
    ({ data: path, data_sha256: createHash('sha256').update(text).digest('hex'), limit }) as unknown as MeasuredEval;

  it('are reused for the same file content and count', () => {
    writeFileSync(path, 'a\n');
    expect(reusableEval(measured('a\n'), path, 10)).not.toBeNull();
    expect(reusableEval(measured('a\n'), path, 20)).toBeNull();
  });

  it('are measured again when the same path holds other examples, or the content is unknown', () => {
    writeFileSync(path, 'b\n');
    expect(reusableEval(measured('a\n'), path, 10)).toBeNull();
    expect(reusableEval({ data: path, limit: 10 } as unknown as MeasuredEval, path, 10)).toBeNull();
    expect(reusableEval(null, path, 10)).toBeNull();
  });
});
