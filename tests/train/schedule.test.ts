// The learning-rate rule against the rates in tests/fixtures/learning-rate-schedule.json, which
// trainer/tests/test_schedule.py checks the PyTorch trainer's learning_rate_at against too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { learningRateAt, plannedStepsOf, type LearningRateSchedule } from '../../src/train/schedule';

interface ScheduleCase {
  case: string;
  schedule: LearningRateSchedule;
  steps: number[];
  rates: number[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/learning-rate-schedule.json', import.meta.url), 'utf8'),
) as { cases: ScheduleCase[] };
/** Both trainers compute in doubles; the fixture's rates are exact values rounded once. */
const RELATIVE_TOLERANCE = 1e-12;

describe('learningRateAt', () => {
  it.each(fixture.cases.map((c) => [c.case, c] as const))("gives the fixture's rates: %s", (_, c) => {
    expect(c.rates).toHaveLength(c.steps.length);
    c.steps.forEach((step, i) => {
      const rate = learningRateAt(step, c.schedule);
      expect(Math.abs(rate - c.rates[i]!)).toBeLessThanOrEqual(RELATIVE_TOLERANCE * c.rates[i]!);
    });
  });

  it('takes the horizon a run was given or started with, else epochs × batches per epoch', () => {
    expect(plannedStepsOf({ epochs: 3 }, 8)).toBe(24);
    expect(plannedStepsOf({ epochs: 3, plannedSteps: 10 }, 8)).toBe(10);
  });
});
