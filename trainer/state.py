"""The run's state: the settings (the TypeScript loop's field names), its position and history, and
what one process holds while it trains."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from .data import Example
from .dist import Dist
from .model import Batch, Seq2Seq
from .schedule import Schedule


@dataclass
class Settings:
    """The TypeScript loop's TrainSettings (src/train/loop.ts), same field names in the metrics file."""

    epochs: int
    learningRate: float
    gradientClipNorm: float
    earlyStoppingPatience: int
    evalIntervalSteps: int
    checkpointIntervalSteps: int
    seed: int
    maxSteps: int | None = None
    decayToFraction: float | None = None
    plannedSteps: int | None = None  # the learning rate's horizon (schedule.py), fixed when the run starts

    def schedule(self) -> Schedule:
        assert self.plannedSteps is not None, "setup fixes the horizon"
        return Schedule(self.learningRate, self.plannedSteps, self.decayToFraction)


@dataclass
class Progress:
    step: int = 0
    epoch: int = 0
    batchInEpoch: int = 0
    bestValLoss: float | None = None
    evalsWithoutImprovement: int = 0
    elapsedMs: float = 0.0
    tokensSeen: int = 0


@dataclass
class History:
    steps: list = field(default_factory=list)
    evals: list = field(default_factory=list)


@dataclass
class Run:
    """What `setup` builds for one process; the step, evaluation and finish functions share it."""

    d: Dist
    out: Path
    data: Path
    config: dict
    tokenizer: dict
    settings: Settings
    init_from: dict | None
    batch_size: int
    train: list[Example]
    val_batches: list[Batch]
    per_epoch: int
    model: Seq2Seq
    wrapped: torch.nn.Module  # the model, or DDP around it
    trainable: list[torch.nn.Parameter]
    optimizer: torch.optim.Optimizer
    progress: Progress
    history: History
    max_minutes: float | None
    session_start: float = field(default_factory=time.perf_counter)
    session_first_step: int = 0
    last_print: float = 0.0
    epoch_groups: dict[int, list[list[int]]] = field(default_factory=dict)

    @property
    def checkpoint_path(self) -> Path:
        return self.out / "checkpoint.pt"

    def elapsed_ms(self) -> float:
        """Training wall time over every session, up to now."""
        return self.progress.elapsedMs + (time.perf_counter() - self.session_start) * 1000

    def steps_to_run(self) -> int:
        """The step the run stops at if nothing stops it earlier (the progress line's total)."""
        planned = self.settings.epochs * self.per_epoch
        return min(self.settings.maxSteps, planned) if self.settings.maxSteps else planned
