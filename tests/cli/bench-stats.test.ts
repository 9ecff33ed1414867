// The bench's timing arithmetic: medians, spreads, the alternating order of compared variants,
// and short work repeated until the clock can measure it.
import { describe, expect, it } from 'vitest';
import { MAX_REPEATS, alternate, median, roundOrder, spreadOf, timePerCall } from '../../src/bench/bench-stats';

describe('bench stats', () => {
  it('takes the median of odd and even counts, and NaN of none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBeNaN();
    expect(spreadOf([7, 2, 9, 4])).toEqual({ median: 5.5, min: 2, max: 9, n: 4 });
  });

  it('alternates the order of the variants round by round and keeps rounds after the warm-up', async () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['c', 'b', 'a']);
    const calls: string[] = [];
    const samples = await alternate(['ours', 'stock'], 3, 1, async (variant, round) => {
      calls.push(`${variant}${round}`);
      return variant === 'ours' ? round : 10 * round;
    });
    expect(calls).toEqual(['ours0', 'stock0', 'stock1', 'ours1', 'ours2', 'stock2', 'stock3', 'ours3']);
    expect(samples).toEqual([
      [1, 2, 3],
      [10, 20, 30],
    ]);
  });

  it('repeats a short piece of work until the loop lasts the minimum, and divides by the calls', async () => {
    let clock = 0;
    let calls = 0;
    const work = () => {
      calls++;
      clock += 3; // each call takes 3 ms of the fake clock
    };
    const timed = await timePerCall(
      work,
      async () => {},
      20,
      () => clock,
    );
    // 1, 2, 4 calls take 3, 6, 12 ms (too short); 8 calls take 24 ms.
    expect(timed).toEqual({ msPerCall: 3, calls: 8 });
    expect(calls).toBe(1 + 2 + 4 + 8);
  });

  it('measures a slow call once, and gives up on work the clock never sees', async () => {
    let clock = 0;
    expect(
      await timePerCall(
        () => (clock += 50),
        undefined,
        20,
        () => clock,
      ),
    ).toEqual({ msPerCall: 50, calls: 1 });
    const frozen = await timePerCall(
      () => {},
      undefined,
      20,
      () => 0,
    );
    expect(frozen.calls).toBeGreaterThanOrEqual(MAX_REPEATS);
    expect(frozen.msPerCall).toBe(0);
  });

  it('counts the settling wait inside the measured time', async () => {
    let clock = 0;
    const timed = await timePerCall(
      () => (clock += 1),
      async () => {
        clock += 30; // an asynchronous backend finishing the queued work
      },
      20,
      () => clock,
    );
    expect(timed).toEqual({ msPerCall: 31, calls: 1 });
  });
});
