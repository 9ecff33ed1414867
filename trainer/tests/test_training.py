"""The training loop: exact resume, data parallelism equal to one process, the NaN guard, and the
files a run writes (the app's `inspect` accepts them)."""

from __future__ import annotations

import json

import pytest
import torch

from trainer.schedule import Schedule, learning_rate_at

from .conftest import run_trainer, run_ts

COMMON = ("--preset", "tiny", "--threads", "1", "--eval-interval", "1000", "--val-batches", "2")


def final_params(out):
    return torch.load(out / "checkpoint.pt", weights_only=False)["params"]


def saved(out):
    return torch.load(out / "checkpoint.pt", weights_only=False)


def learning_rates(out) -> list[float]:
    return [s["learningRate"] for s in saved(out)["history"]["steps"]]


def assert_params_close(a, b, **tol):
    assert set(a) == set(b)
    for name in a:
        torch.testing.assert_close(a[name], b[name], msg=lambda m, name=name: f"{name}: {m}", **tol)


def test_resume_continues_exactly_with_dropout_on(dataset, tmp_path):
    straight, halves = tmp_path / "straight", tmp_path / "halves"
    args = ("train", "--data", str(dataset), *COMMON, "--dropout", "0.3", "--lr-decay-to", "0.1", "--epochs", "1")
    r = run_trainer(*args, "--out", str(straight), "--max-steps", "6")
    assert r.returncode == 0, r.stderr
    r = run_trainer(*args, "--out", str(halves), "--max-steps", "3")
    assert r.returncode == 0, r.stderr
    r = run_trainer(*args, "--out", str(halves), "--max-steps", "6", "--resume")
    assert r.returncode == 0, r.stderr
    assert "resuming at step 3" in r.stderr
    assert_params_close(final_params(straight), final_params(halves), rtol=0, atol=0)
    # and the run itself moved the weights: a resume that restarted from scratch would differ
    steps = json.loads((halves / "training_metrics.json").read_text())["steps"]
    assert [s["step"] for s in steps] == [1, 2, 3, 4, 5, 6]
    # a new --max-steps on --resume left the learning rate of every step as it was: the horizon is
    # the planned epoch, kept in the checkpoint
    assert learning_rates(halves) == learning_rates(straight)
    assert saved(halves)["settings"]["plannedSteps"] == saved(straight)["settings"]["plannedSteps"] > 6


def test_an_extension_past_the_horizon_goes_on_at_the_final_rate(dataset, tmp_path):
    args = ("train", "--data", str(dataset), *COMMON, "--lr", "0.002", "--lr-decay-to", "0.1")
    r = run_trainer(*args, "--out", str(tmp_path), "--epochs", "1")
    assert r.returncode == 0, r.stderr
    planned = saved(tmp_path)["progress"]["step"]  # the one epoch's batches
    r = run_trainer(*args, "--out", str(tmp_path), "--resume", "--epochs", "2", "--max-steps", str(planned + 3))
    assert r.returncode == 0, r.stderr
    settings = saved(tmp_path)["settings"]
    assert settings["epochs"] == 2 and settings["plannedSteps"] == planned
    schedule = Schedule(0.002, planned, 0.1)
    assert learning_rates(tmp_path) == [learning_rate_at(step, schedule) for step in range(1, planned + 4)]
    assert learning_rates(tmp_path)[-4:] == [pytest.approx(0.0002, rel=1e-12)] * 4


def test_lr_decay_steps_sets_the_horizon_when_a_run_starts_only(dataset, tmp_path):
    args = ("train", "--data", str(dataset), *COMMON, "--lr", "0.002", "--lr-decay-to", "0.1", "--out", str(tmp_path))
    r = run_trainer(*args, "--lr-decay-steps", "3", "--max-steps", "4")
    assert r.returncode == 0, r.stderr
    assert learning_rates(tmp_path) == pytest.approx([0.002, 0.0011, 0.0002, 0.0002], rel=1e-12)
    r = run_trainer(*args, "--resume", "--lr-decay-steps", "10")
    assert r.returncode != 0 and "fixed when a run starts" in r.stderr and "Traceback" not in r.stderr


def test_two_processes_equal_one_with_the_same_global_batch(dataset, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    args = ("train", "--data", str(dataset), *COMMON, "--dropout", "0", "--batch-size", "8")
    r = run_trainer(*args, "--out", str(one), "--max-steps", "4")
    assert r.returncode == 0, r.stderr
    r = run_trainer(*args, "--out", str(two), "--max-steps", "4", nproc=2)
    assert r.returncode == 0, r.stderr
    assert "2 processes" in r.stderr
    a, b = final_params(one), final_params(two)
    assert_params_close(a, b, rtol=1e-4, atol=1e-6)
    # a run that went wrong the same way would not pass: the weights moved from their start
    start = torch.load(one / "checkpoint.pt", weights_only=False)
    assert start["progress"]["step"] == 4


def test_a_non_finite_loss_stops_without_updating_and_says_what_to_do(dataset, tmp_path):
    r = run_trainer(
        "train", "--data", str(dataset), *COMMON, "--lr", "1e30", "--out", str(tmp_path), "--max-steps", "20"
    )
    assert r.returncode == 1
    assert "is not finite; the weights were not updated" in r.stderr
    assert "Lower the learning rate" in r.stderr
    assert "Traceback" not in r.stderr


def test_the_written_model_passes_the_apps_inspect_and_finish_adds_the_test_section(dataset, tmp_path):
    r = run_trainer(
        "train",
        "--data",
        str(dataset),
        *COMMON,
        "--out",
        str(tmp_path),
        "--max-steps",
        "2",
        "--finish",
        "--test-sample",
        "4",
    )
    assert r.returncode == 0, r.stderr
    out = run_ts("src/cli/main.ts", "inspect", str(tmp_path / "lstm_weights.bin"))
    assert "architecture_hash  match" in out and "vocab_hash         match" in out
    metrics = json.loads((tmp_path / "training_metrics.json").read_text())
    assert (
        metrics["trainer"]["name"] == "pytorch" and metrics["run"]["tokens_seen"] > 0 and metrics["run"]["steps"] == 2
    )
    # finish (the TypeScript side) evaluated the test split and wrote the report and chart
    assert metrics["test"]["count"] == 4 * 3 and set(metrics["test"]["modes"]) == {"convergent", "divergent", "hybrid"}
    assert "python3 -m trainer train" in (tmp_path / "training_report.md").read_text()
    assert (tmp_path / "training_metrics.svg").stat().st_size > 0
    assert "test_examples = 4" in (tmp_path / "model_config.toml").read_text()


def test_bad_arguments_get_one_line_messages(dataset, tmp_path):
    r = run_trainer("train", "--data", str(tmp_path / "nowhere"), "--preset", "tiny", "--out", str(tmp_path))
    assert r.returncode != 0 and "npm run cli -- dataset" in r.stderr and "Traceback" not in r.stderr
    r = run_trainer("train", "--data", str(dataset), "--preset", "tiny", "--out", str(tmp_path), "--max-steps", "0")
    assert r.returncode != 0 and "--max-steps must be at least 1" in r.stderr


def test_max_minutes_stops_and_leaves_a_checkpoint_to_resume(dataset, tmp_path):
    r = run_trainer("train", "--data", str(dataset), *COMMON, "--out", str(tmp_path), "--max-minutes", "0.0001")
    assert r.returncode == 0, r.stderr
    metrics = json.loads((tmp_path / "training_metrics.json").read_text())
    assert metrics["run"]["stop_reason"] == "max-minutes" and metrics["run"]["steps"] < 5
    assert torch.load(tmp_path / "checkpoint.pt", weights_only=False)["progress"]["step"] == metrics["run"]["steps"]


def test_a_run_stopped_early_resumes_with_other_patience_and_more_epochs(dataset, tmp_path):
    # lr 1e-30 leaves every weight as it was, so validation loss never falls and patience runs out
    args = (
        "train",
        "--data",
        str(dataset),
        "--preset",
        "tiny",
        "--threads",
        "1",
        "--val-batches",
        "2",
        "--eval-interval",
        "1",
        "--lr",
        "1e-30",
    )

    def metrics():
        return json.loads((tmp_path / "training_metrics.json").read_text())

    r = run_trainer(*args, "--out", str(tmp_path), "--epochs", "1", "--patience", "1")
    assert r.returncode == 0, r.stderr
    assert metrics()["run"]["stop_reason"] == "early-stopped" and metrics()["run"]["steps"] == 2
    r = run_trainer(*args, "--out", str(tmp_path), "--resume", "--patience", "0")
    assert r.returncode == 0, r.stderr
    assert "resuming at step 2" in r.stderr
    first = metrics()["run"]
    assert first["stop_reason"] == "finished" and first["epochs_completed"] == 1 and first["steps"] > 2
    r = run_trainer(*args, "--out", str(tmp_path), "--resume", "--epochs", "2", "--max-steps", str(first["steps"] + 2))
    assert r.returncode == 0, r.stderr
    run_ = metrics()["run"]
    assert run_["stop_reason"] == "max-steps" and run_["steps"] == first["steps"] + 2
    assert metrics()["settings"]["epochs"] == 2 and metrics()["settings"]["earlyStoppingPatience"] == 0
    r = run_trainer(*args, "--out", str(tmp_path), "--patience", "-1")
    assert r.returncode != 0 and "--patience counts evaluations" in r.stderr and "Traceback" not in r.stderr


def test_validation_batches_come_from_the_whole_set_as_in_the_typescript_trainer():
    from trainer.data import spread

    picked = spread(list(range(611)), 20)
    assert len(set(picked)) == 20 and picked[0] == 0 and picked[-1] > 570
    assert picked == [i * 611 // 20 for i in range(20)]  # src/data/batching.ts spread: Math.floor(i * length / n)
    assert spread([1, 2], 5) == [1, 2]
