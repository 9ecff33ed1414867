// finish --previous reuses a previous model's figures only when they were taken on the same examples.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { modelCodeSha256, reusableEval } from '../../src/cli/train-finish';
import type { MeasuredEval } from '../../src/train/metrics-file';

describe('figures of the previous model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reusable-'));
  const path = join(dir, 'test.jsonl');
  const code = modelCodeSha256();
  const measured = (text: string, limit = 10, code_sha256 = code) =>
    ({
      data: path,
      data_sha256: createHash('sha256').update(text).digest('hex'),
      code_sha256,
      limit,
    }) as unknown as MeasuredEval;

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

  it('are measured again when other model code measured them (a fix-search change moves every figure)', () => {
    writeFileSync(path, 'a\n');
    expect(reusableEval(measured('a\n', 10, 'f'.repeat(64)), path, 10)).toBeNull();
    const unrecorded = { ...measured('a\n'), code_sha256: undefined };
    expect(reusableEval(unrecorded, path, 10, code)).toBeNull();
    expect(reusableEval(measured('a\n'), path, 10, code)).not.toBeNull();
  });

  it('hash the model code: a file changed or added gives another hash', () => {
    const root = mkdtempSync(join(tmpdir(), 'model-code-'));
    writeFileSync(join(root, 'a.ts'), 'export const a = 1;\n');
    const first = modelCodeSha256(root);
    expect(modelCodeSha256(root)).toBe(first);
    writeFileSync(join(root, 'a.ts'), 'export const a = 2;\n');
    const second = modelCodeSha256(root);
    expect(second).not.toBe(first);
    writeFileSync(join(root, 'b.ts'), '');
    expect(modelCodeSha256(root)).not.toBe(second);
    expect(code).toMatch(/^[0-9a-f]{64}$/);
  });
});
