import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/train/wilson';

describe('wilsonInterval', () => {
  // Known values: 0/10's upper bound is z²/(n + z²) = 0.2775; 5/10 is symmetric about 0.5 and
  // 81/100 is [0.7222, 0.8749], as published tables of the Wilson score interval give them.
  it.each([
    [0, 10, 0, 0.2775],
    [5, 10, 0.2366, 0.7634],
    [81, 100, 0.7222, 0.8749],
    [10, 10, 0.7225, 1],
  ])('%i/%i is [%f, %f]', (k, n, low, high) => {
    const interval = wilsonInterval(k, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('holds the proportion and narrows as n grows', () => {
    const small = wilsonInterval(3, 10);
    const large = wilsonInterval(300, 1000);
    expect(small.low).toBeLessThan(0.3);
    expect(small.high).toBeGreaterThan(0.3);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  it('is the whole range with no trials and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
  });
});
