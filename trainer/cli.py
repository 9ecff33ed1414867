"""The command line: `python3 -m trainer train --data DIR [--preset seed|small|tiny | --config FILE]
--out DIR [--resume] [--init-from DIR] [--max-steps N] [--max-minutes M] [--finish]`, also under
`torchrun --nproc_per_node N -m trainer train ...` (docs/design.md#pytorch-trainer)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m trainer", description="Train the model of src/model with PyTorch.")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser(
        "train",
        help="train on the splits `npm run cli -- dataset` wrote; writes the model files into --out",
        description="Trains on DATA/train.ids.jsonl (validation DATA/val.ids.jsonl, vocabulary DATA/tokenizer.json). "
        "OUT receives lstm_weights.bin, model_config.toml, tokenizer.json (the best model by validation loss), "
        "training_metrics.json and checkpoint.pt (--resume continues exactly from it). --finish then runs "
        "`npm run cli -- finish --models OUT --data DATA` (test split, report, chart).",
    )
    t.add_argument("--data", default="data", help="folder written by `npm run cli -- dataset` (default data)")
    g = t.add_mutually_exclusive_group()
    g.add_argument("--preset", choices=["seed", "small", "tiny"], help="model and training settings (default seed)")
    g.add_argument("--config", help="a model_config.toml: [architecture] and [training] are used")
    t.add_argument("--out", required=True, help="output folder")
    t.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    t.add_argument("--init-from", help="start from the weights of a model folder (same vocabulary)")
    t.add_argument("--max-steps", type=int, help="stop after this many steps in all")
    t.add_argument("--max-minutes", type=float, help="stop after this many minutes of this session")
    t.add_argument("--epochs", type=int, help="epochs in all; with --resume, a larger number extends the run")
    t.add_argument(
        "--patience",
        type=int,
        help="evaluations without a lower validation loss before the run stops (0: never; also on --resume)",
    )
    t.add_argument("--lr", type=float)
    t.add_argument("--batch-size", type=int, help="the global batch (shared by the processes under torchrun)")
    t.add_argument(
        "--lr-decay-to",
        type=float,
        help="the learning rate falls linearly to this fraction of --lr at the last planned step",
    )
    t.add_argument(
        "--lr-decay-steps",
        type=int,
        help="the last planned step (default: epochs × batches per epoch); fixed when the run starts, kept on --resume",
    )
    t.add_argument("--dropout", type=float, help="override [architecture] dropout")
    t.add_argument("--seed", type=int)
    t.add_argument("--eval-interval", type=int, help="steps between validation runs")
    t.add_argument("--val-batches", type=int, default=20, help="validation batches per evaluation (default 20)")
    t.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    t.add_argument("--threads", type=int, help="torch threads per process")
    t.add_argument("--finish", action="store_true", help="then evaluate on the test split with `npm run cli -- finish`")
    t.add_argument("--test-sample", type=int, default=300, help="test examples `finish` evaluates (default 300)")
    b = sub.add_parser(
        "bench", help="time a training step and greedy decoding on the shapes of `npm run cli -- bench` (prints JSON)"
    )
    b.add_argument("--presets", default="seed")
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    b.add_argument(
        "--no-profile", action="store_true", help="leave out the profile and the floor (the step's matmuls alone)"
    )
    return p


def run_finish(out: str, data: str, test_sample: int) -> int:
    npm = shutil.which("npm")
    if npm is None:
        sys.stderr.write(
            f"error: --finish needs Node and npm (the TypeScript side evaluates); run `npm run cli -- finish --models {out} --data {data}` where they are\n"
        )
        return 1
    command = [
        npm,
        "run",
        "--silent",
        "cli",
        "--",
        "finish",
        "--models",
        os.path.abspath(out),
        "--data",
        os.path.abspath(data),
        "--test-sample",
        str(test_sample),
    ]
    sys.stderr.write(f"finish: {' '.join(command[1:])}\n")
    return subprocess.call(command, cwd=REPO_ROOT)


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    if args.command == "bench":
        from .bench import main as bench_main

        for name in args.presets.split(","):
            if name not in ("seed", "small", "tiny"):
                raise SystemExit(f"error: unknown preset {name!r}: use seed, small or tiny")
        return bench_main(args)
    for name in (
        "max_steps",
        "epochs",
        "batch_size",
        "eval_interval",
        "val_batches",
        "threads",
        "test_sample",
        "lr_decay_steps",
    ):
        v = getattr(args, name)
        if v is not None and v < 1:
            raise SystemExit(f"error: --{name.replace('_', '-')} must be at least 1, got {v}")
    if args.patience is not None and args.patience < 0:
        raise SystemExit(
            f"error: --patience counts evaluations and must be 0 (never stop early) or more, got {args.patience}"
        )
    if args.lr_decay_to is not None and not 0 <= args.lr_decay_to <= 1:
        raise SystemExit(f"error: --lr-decay-to is a fraction of --lr between 0 and 1, got {args.lr_decay_to}")
    if args.lr_decay_steps is not None and args.resume:
        raise SystemExit(
            "error: --lr-decay-steps is fixed when a run starts: resume without it (the checkpoint keeps it)"
        )
    if args.dropout is not None and not 0 <= args.dropout < 1:
        raise SystemExit(f"error: --dropout must be in [0, 1), got {args.dropout}")
    from . import presets  # torch loads only after the arguments are known good
    from .train import run

    try:
        config = presets.read_config(Path(args.config)) if args.config else presets.preset(args.preset or "seed")
    except ValueError as e:
        raise SystemExit(f"error: {e}") from None
    t = config["training"]
    for key, value in (
        ("epochs", args.epochs),
        ("learning_rate", args.lr),
        ("batch_size", args.batch_size),
        ("seed", args.seed),
        ("eval_interval_steps", args.eval_interval),
        ("early_stopping_patience", args.patience),
    ):
        if value is not None:
            t[key] = value
    if args.dropout is not None:
        config["architecture"]["dropout"] = args.dropout
    code = run(args, config)
    if code == 0 and args.finish and int(os.environ.get("RANK", "0")) == 0:
        code = run_finish(args.out, args.data, args.test_sample)
    return code
