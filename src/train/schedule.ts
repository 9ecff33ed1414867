// The learning-rate rule of both trainers; trainer/schedule.py is the same function, and
// tests/fixtures/learning-rate-schedule.json holds rates both must give.
//
// The rate falls linearly from `learningRate` at step 1 to `decayToFraction` of it at step
// `plannedSteps`, then stays there. The horizon is fixed when a run starts (epochs × batches per
// epoch unless given) and kept in the checkpoint: a stop and a resume, with any step limit, follow the
// schedule of a run that never stopped, and a run extended past its horizon goes on at the final rate.

export interface LearningRateSchedule {
  learningRate: number; // the rate of step 1
  decayToFraction?: number; // the rate at plannedSteps, as a fraction of learningRate (absent: constant)
  plannedSteps: number; // the horizon, in updates
}

/** The step size of update `step` (1-based). */
export function learningRateAt(step: number, schedule: LearningRateSchedule): number {
  const { learningRate, decayToFraction, plannedSteps } = schedule;
  if (decayToFraction === undefined || plannedSteps <= 1) return learningRate;
  const done = Math.min(1, (step - 1) / (plannedSteps - 1));
  return learningRate * (1 - (1 - decayToFraction) * done);
}

/** The horizon of a run: the one it was given or started with, else its epochs × batches per epoch. */
export function plannedStepsOf(settings: { epochs: number; plannedSteps?: number }, batchesPerEpoch: number): number {
  return settings.plannedSteps ?? settings.epochs * batchesPerEpoch;
}
