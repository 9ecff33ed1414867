"""The learning-rate rule of both trainers: src/train/schedule.ts is the same function, and
tests/fixtures/learning-rate-schedule.json holds rates both must give.

The rate falls linearly from `learning_rate` at step 1 to `decay_to_fraction` of it at step
`planned_steps`, then stays there. The horizon is fixed when a run starts (epochs × batches per
epoch unless --lr-decay-steps gives it) and kept in the checkpoint: a stop and a resume, with any
--max-steps, follow the schedule of a run that never stopped, and a run extended past its horizon
(--epochs on --resume) goes on at the final rate.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    learning_rate: float  # the rate of step 1
    planned_steps: int  # the horizon, in updates
    decay_to_fraction: float | None = None  # the rate at planned_steps, as a fraction of learning_rate (None: constant)


def learning_rate_at(step: int, schedule: Schedule) -> float:
    """The step size of update `step` (1-based)."""
    f = schedule.decay_to_fraction
    if f is None or schedule.planned_steps <= 1:
        return schedule.learning_rate
    done = min(1.0, (step - 1) / (schedule.planned_steps - 1))
    return schedule.learning_rate * (1 - (1 - f) * done)
