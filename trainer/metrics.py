"""training_metrics.json as the PyTorch trainer writes it: the TypeScript trainer's schema
(src/train/metrics-file.ts) plus a `trainer` section."""

from __future__ import annotations

import json
import math
import os
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from .dist import Dist
from .model import Seq2Seq, param_shapes

if TYPE_CHECKING:
    from .state import History, Progress, Settings

METRICS_FORMAT = "lstm-coding-optimizer-metrics"


def machine() -> str:
    return f"{platform.processor() or platform.machine()} × {os.cpu_count()}, {platform.system()} {platform.release()}, Python {platform.python_version()}, torch {torch.__version__}"


def write_metrics(
    out: Path,
    config,
    tokenizer,
    settings: Settings,
    progress: Progress,
    history: History,
    reason,
    d: Dist,
    batch_size,
    data: Path,
    init_from,
    model: Seq2Seq,
):
    """training_metrics.json in the TypeScript trainer's schema (src/train/metrics-file.ts); `finish` adds the test section."""
    steps = history.steps
    stride = max(1, math.ceil(len(steps) / 3000))
    epochs = []
    for e in sorted({s["epoch"] for s in steps}):
        losses = [s["loss"] for s in steps if s["epoch"] == e]
        last_step = max(s["step"] for s in steps if s["epoch"] == e)
        evals = [v for v in history.evals if v["step"] == last_step]
        epochs.append(
            {"epoch": e, "train_loss": sum(losses) / len(losses), "val_loss": evals[-1]["valLoss"] if evals else None}
        )
    stats_path = data / "dataset_stats.json"
    ms = max(progress.elapsedMs, 1e-9)
    metrics = {
        "format": METRICS_FORMAT,
        "format_version": 1,
        "created": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "model": {
            "name": config["model"]["name"],
            "version": config["model"]["version"],
            "parameters": sum(math.prod(s) for s in param_shapes(model.config).values()),
            "architecture": config["architecture"],
            "vocab_size": len(tokenizer["tokens"]),
        },
        "settings": {**{k: v for k, v in asdict(settings).items() if v is not None}, "batch_size": batch_size},
        "run": {
            "stop_reason": reason,
            "steps": progress.step,
            "epochs_completed": progress.epoch,
            "wall_time_ms": progress.elapsedMs,
            "tokens_seen": progress.tokensSeen,
            "steps_per_second": progress.step * 1000 / ms,
            "tokens_per_second": progress.tokensSeen * 1000 / ms,
            "best_val_loss": progress.bestValLoss,
            "backend": f"pytorch {torch.__version__} on {d.device.type}"
            + (f" × {d.world} processes (DDP)" if d.world > 1 else ""),
            "machine": machine(),
        },
        "trainer": {
            "name": "pytorch",
            "torch": torch.__version__,
            "python": platform.python_version(),
            "device": str(d.device),
            "device_name": torch.cuda.get_device_name(d.device)
            if d.device.type == "cuda"
            else platform.processor() or platform.machine(),
            "world_size": d.world,
            "threads": torch.get_num_threads(),
        },
        "steps": [{k: s[k] for k in ("step", "epoch", "loss", "accuracy", "tokensPerSecond")} for s in steps[::stride]],
        "evals": history.evals,
        "epochs": epochs,
        "dataset": json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else None,
        "test": None,
        "artifacts": {},
        "init_from": init_from,
    }
    (out / "training_metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", "utf-8")
