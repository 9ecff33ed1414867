// The page's thread budget: `?threads=N` read strictly, the machine's cores otherwise, and each
// worker's share (training all of it, inference half, never below one).
import { describe, expect, it } from 'vitest';
import { MAX_THREADS, threadBudget, threadsFor } from '../../src/platform/shared/threads';
import { pageThreads, requestedThreadsFromQuery } from '../../src/ui/lib/thread-budget';
import { threadsText } from '../../src/platform/shared/select';

describe('thread budget', () => {
  it('reads ?threads= as a whole number from 1 to the limit, and nothing else', () => {
    expect(requestedThreadsFromQuery('?threads=3')).toBe(3);
    expect(requestedThreadsFromQuery('?backend=wasm&threads=1')).toBe(1);
    expect(requestedThreadsFromQuery(`?threads=${MAX_THREADS}`)).toBe(MAX_THREADS);
    for (const bad of [
      '',
      '?threads=',
      '?threads=0',
      '?threads=-2',
      '?threads=1.5',
      '?threads=two',
      `?threads=${MAX_THREADS + 1}`,
    ])
      expect(requestedThreadsFromQuery(bad)).toBeNull();
  });

  it('takes the request over the machine, and at least one thread from any machine', () => {
    expect(threadBudget(3, 16)).toBe(3);
    expect(threadBudget(null, 8)).toBe(8);
    expect(threadBudget(null, undefined)).toBe(1);
    expect(threadBudget(null, 0)).toBe(1);
    expect(threadBudget(null, 1000)).toBe(MAX_THREADS);
  });

  it('gives training the whole budget and inference half, each at least one', () => {
    expect([threadsFor('training', 8), threadsFor('inference', 8)]).toEqual([8, 4]);
    expect([threadsFor('training', 2), threadsFor('inference', 2)]).toEqual([2, 1]);
    expect([threadsFor('training', 1), threadsFor('inference', 1)]).toEqual([1, 1]);
    expect([threadsFor('training', 3), threadsFor('inference', 3)]).toEqual([3, 1]);
    expect(pageThreads('training', '?threads=6', 2)).toBe(6);
    expect(pageThreads('inference', '?backend=wasm', 2)).toBe(1);
  });

  it('names the thread count on the badge only where the backend reports one', () => {
    expect(threadsText({ threads: 2 })).toBe(' · 2 threads');
    expect(threadsText({ threads: 1 })).toBe(' · 1 thread');
    expect(threadsText({})).toBe('');
  });
});
