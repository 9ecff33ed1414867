// The chart rows of an evaluation with counts, the evaluations' time, and "your code" before / now.
import { describe, expect, it } from 'vitest';
import { adaptComparison, changeOf } from '../../../src/ui/training/adapt-series';
import { countedScore, describeScore, evalTiming, toEvalRow } from '../../../src/ui/training/chart-series';
import type { EvalRecord } from '../../../src/train/loop';
import { wilsonInterval } from '../../../src/train/wilson';

const counted = (exact: number, n: number) => ({ n, exact, ...wilsonInterval(exact, n) });

function record(step: number, classes: Record<string, [number, number]>, extra: Partial<EvalRecord> = {}): EvalRecord {
  const scores: Record<string, number> = {};
  const counts: EvalRecord['counts'] = {};
  for (const [name, [exact, n]] of Object.entries(classes)) {
    scores[`class.${name}`] = n > 0 ? exact / n : 0;
    counts[`class.${name}`] = counted(exact, n);
  }
  return { step, epoch: 0, valLoss: Number.NaN, valTokenAccuracy: Number.NaN, scores, counts, evalMs: 1500, ...extra };
}

describe('toEvalRow', () => {
  it('carries each count and interval beside its score, and the evaluation time', () => {
    const row = toEvalRow({ ...record(0, { no_bug: [3, 10] }), evalShare: 0.12, scores: { 'mode.convergent': 0.5, 'class.no_bug': 0.3 }, counts: { 'mode.convergent': counted(5, 10), 'class.no_bug': counted(3, 10) } });
    expect(row).toMatchObject({ step: 0, valLoss: null, mode_convergent: 0.5, mode_convergent_n: 10, mode_convergent_exact: 5, evalMs: 1500, evalShare: 0.12 });
    const score = countedScore(row, 'class_no_bug');
    expect(score).toEqual({ rate: 0.3, n: 10, exact: 3, ...wilsonInterval(3, 10) });
    expect(describeScore(score)).toBe('30% (3/10, 95% 11–60%)');
    expect(countedScore(row, 'task_fix')).toBeNull();
    expect(describeScore(null)).toBe('–');
    expect(describeScore({ rate: 0, n: 0, exact: 0, low: 0, high: 1 })).toBe('no example');
  });
});

describe('evalTiming', () => {
  it('gives the last and mean time and the latest share of the run', () => {
    const rows = [record(0, {}), record(10, {}, { evalMs: 500, evalShare: 0.2 }), record(20, {}, { evalMs: 1000, evalShare: 0.1 })].map(toEvalRow);
    expect(evalTiming(rows)).toEqual({ count: 3, lastMs: 1000, meanMs: 1000, share: 0.1 });
    expect(evalTiming([])).toEqual({ count: 0, lastMs: null, meanMs: null, share: null });
  });
});

describe('adaptComparison', () => {
  it('takes "before" from step 0 and "now" from the latest evaluation, per class in the measured order', () => {
    const rows = [
      record(0, { no_bug: [2, 40], misspelled_name: [1, 40] }),
      // An evaluation without the classes (another source's): not a measurement of them.
      { step: 5, epoch: 0, valLoss: 1, valTokenAccuracy: 0.5, scores: { 'mode.convergent': 0.1 }, evalMs: 3 },
      record(10, { no_bug: [20, 40], misspelled_name: [2, 40] }),
      record(20, { no_bug: [30, 40], misspelled_name: [1, 40] }),
    ].map(toEvalRow);
    const comparison = adaptComparison(rows)!;
    expect(comparison.nowStep).toBe(20);
    expect(comparison.measurements).toBe(3);
    expect(comparison.classes.map((c) => c.name)).toEqual(['no_bug', 'misspelled_name']);
    expect(comparison.classes[0]!.before).toMatchObject({ n: 40, exact: 2 });
    expect(comparison.classes[0]!.now).toMatchObject({ n: 40, exact: 30 });
    expect(changeOf(comparison.classes[0]!.before, comparison.classes[0]!.now)).toBe('up');
    expect(changeOf(comparison.classes[1]!.before, comparison.classes[1]!.now)).toBe('within');
  });

  it('has no "now" before the first evaluation, and nothing without class scores', () => {
    const onlyBefore = adaptComparison([toEvalRow(record(0, { no_bug: [2, 4] }))])!;
    expect(onlyBefore.nowStep).toBeNull();
    expect(onlyBefore.classes[0]!.now).toBeNull();
    expect(adaptComparison([toEvalRow({ step: 3, epoch: 0, valLoss: 1, valTokenAccuracy: 1, scores: {}, evalMs: 1 })])).toBeNull();
  });

  it('calls a drop a drop only when the intervals part', () => {
    const scored = (exact: number, n: number) => ({ rate: exact / n, ...counted(exact, n) });
    expect(changeOf(scored(90, 100), scored(50, 100))).toBe('down');
    expect(changeOf(scored(50, 100), scored(45, 100))).toBe('within');
    expect(changeOf(null, scored(1, 2))).toBeNull();
    expect(changeOf({ rate: 0, ...counted(0, 0) }, scored(1, 2))).toBeNull();
  });
});
