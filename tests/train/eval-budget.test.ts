import { describe, expect, it } from 'vitest';
import { EvalBudget } from '../../src/train/eval-budget';

describe('EvalBudget', () => {
  it('allows the first evaluation, then only while the spent time and the next stay within the share', () => {
    const budget = new EvalBudget(0.15);
    expect(budget.allows(0)).toBe(true);
    budget.record(1_000); // one evaluation of 1 s at the start
    // Another 1 s evaluation keeps 2 s within 15% of the run once the run is 12.33 s long.
    expect(budget.allows(10_000)).toBe(false);
    expect(budget.allows(12_400)).toBe(true);
    budget.record(1_000);
    expect(budget.share(13_400)).toBeCloseTo(2_000 / 13_400, 10);
    expect(budget.allows(14_000)).toBe(false);
    expect(budget.allows(19_000)).toBe(true);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => new EvalBudget(0)).toThrow(RangeError);
    expect(() => new EvalBudget(1.5)).toThrow(RangeError);
    expect(new EvalBudget(1).allows(0)).toBe(true);
  });
});
