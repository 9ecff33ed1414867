// How the fuzzer judges a case: which errors count as clear refusals, and that tensors left behind
// make a case leaked whatever it answered.
import { describe, expect, it } from 'vitest';
import { caseRng, verdictOfError } from '../../src/fuzz/case';
import type { ModelContext } from '../../src/fuzz/context';
import { runCase } from '../../src/fuzz/surfaces';
import { InputError, ModelFileError } from '../../src/model';
import { ProtocolError } from '../../src/worker/protocol';

describe('fuzz verdicts', () => {
  it('counts our errors with a message as refused, anything else as crashed', () => {
    expect(
      verdictOfError('m', new ModelFileError('lstm_weights.bin', 'the file is 3 bytes', 'Get a valid file')).outcome,
    ).toBe('refused');
    expect(verdictOfError('m', new InputError('the code is empty: paste a function')).outcome).toBe('refused');
    expect(verdictOfError('m', new ProtocolError('unknown message type "x"')).outcome).toBe('refused');
    expect(verdictOfError('m', new InputError('bad')).outcome).toBe('crashed'); // says nothing about the problem
    expect(verdictOfError('m', new TypeError("Cannot read properties of null (reading 'id')"))).toEqual({
      outcome: 'crashed',
      mutation: 'm',
      detail: "TypeError: Cannot read properties of null (reading 'id')",
    });
    expect(verdictOfError('m', new Error('a plain error with a long message')).outcome).toBe('crashed');
    expect(verdictOfError('m', 'a string').outcome).toBe('crashed');
  });

  it('counts a case that leaves tensors behind as leaked', async () => {
    let tensors = 10;
    const context = { numTensors: () => tensors++, note: () => {} } as unknown as ModelContext;
    const result = await runCase('jsonl', 1, 0, context);
    expect(result.outcome).toBe('leaked');
    expect(result.detail).toMatch(/^1 tensor\(s\) left behind \(10 → 11\)/);
  });

  it('makes each case from (seed, surface, index) alone', () => {
    expect(caseRng(1, 'code', 5).next()).toBe(caseRng(1, 'code', 5).next());
    expect(caseRng(1, 'code', 5).next()).not.toBe(caseRng(1, 'code', 6).next());
    expect(caseRng(1, 'code', 5).next()).not.toBe(caseRng(2, 'code', 5).next());
  });
});
