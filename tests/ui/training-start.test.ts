// What a pressed Start waits for, and when the worker's prepared data is the form's data.
import { describe, expect, it } from 'vitest';
import { sameDataOptions } from '../../src/ui/training/data-form';
import { initialTrainingState, trainingReducer } from '../../src/ui/training/training-state';
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

describe('a start that waits', () => {
  it('says what it waits for while starting, and forgets it once started or failed', () => {
    const starting = trainingReducer(initialTrainingState, { type: 'starting' });
    const waiting = trainingReducer(starting, { type: 'start-waiting', waitingFor: 'backend' });
    expect(waiting.waitingFor).toBe('backend');
    expect(trainingReducer(waiting, { type: 'start-failed', message: 'no backend' })).toMatchObject({
      phase: 'idle',
      waitingFor: null,
    });
    // A wait reported after the start was given up is not shown.
    expect(trainingReducer(initialTrainingState, { type: 'start-waiting', waitingFor: 'data' }).waitingFor).toBeNull();
  });

  it('remembers which options the data status is about', () => {
    const preparing = trainingReducer(initialTrainingState, { type: 'data-preparing', options: BUILTIN });
    const failed = trainingReducer(preparing, { type: 'data-failed', message: 'nothing usable' });
    expect(failed.data).toMatchObject({ status: 'failed', options: BUILTIN });
  });
});
