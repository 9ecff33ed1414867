"""The learning-rate rule against the rates in tests/fixtures/learning-rate-schedule.json, which
tests/train/schedule.test.ts checks the TypeScript trainer's learningRateAt against too."""

from __future__ import annotations

import json

import pytest

from trainer.schedule import Schedule, learning_rate_at

from .conftest import REPO

FIXTURE = json.loads((REPO / "tests" / "fixtures" / "learning-rate-schedule.json").read_text("utf-8"))
RELATIVE_TOLERANCE = 1e-12  # both trainers compute in doubles; the fixture's rates are exact values rounded once


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=lambda c: c["case"])
def test_learning_rate_at_gives_the_fixtures_rates(case):
    s = case["schedule"]
    schedule = Schedule(s["learningRate"], s["plannedSteps"], s.get("decayToFraction"))
    assert len(case["rates"]) == len(case["steps"])
    for step, rate in zip(case["steps"], case["rates"], strict=True):
        assert abs(learning_rate_at(step, schedule) - rate) <= RELATIVE_TOLERANCE * rate, f"step {step}"
