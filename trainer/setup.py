"""`setup`: one process's run, read from the data and a checkpoint (--resume) or starting weights
(--init-from), with its model, Adam and settings."""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch

from .data import bucketed_groups, pack, read_ids, spread
from .dist import Dist, log
from .files import ModelFileError, read_model_dir, read_tokenizer
from .init import initial_tensors
from .model import NetworkConfig, Seq2Seq
from .state import History, Progress, Run, Settings


def read_checkpoint(path: Path, tokenizer: dict, data: Path) -> dict:
    if not path.exists():
        raise SystemExit(f"error: {path} does not exist: start without --resume (or point --out at the run)")
    saved = torch.load(path, map_location="cpu", weights_only=False)
    if saved["vocab_hash"] != tokenizer["fingerprint"]:
        raise SystemExit(
            f"error: {path} was trained with another vocabulary than {data}/tokenizer.json; resume with the data it was trained on"
        )
    return saved


def read_init_from(model_dir: Path, tokenizer: dict, data: Path) -> tuple[dict, dict, dict | None]:
    """The starting model's [architecture] and tensors, and what its weights had behind them (for the report)."""
    try:
        init_config, init_tok, init_tensors, _ = read_model_dir(model_dir)
    except ModelFileError as e:
        raise SystemExit(f"error: {e}") from None
    if init_tok["fingerprint"] != tokenizer["fingerprint"]:
        raise SystemExit(
            f"error: --init-from {model_dir} has another vocabulary than {data}/tokenizer.json; build the data with that model's tokenizer or train from scratch"
        )
    metrics_path = model_dir / "training_metrics.json"
    if not metrics_path.exists():
        return init_config["architecture"], init_tensors, None
    m = json.loads(metrics_path.read_text("utf-8"))
    run_ = m.get("run", {})
    before = (m.get("init_from") or {}).get("before") or {"steps": 0, "wall_time_ms": 0, "tokens_seen": 0}
    init_from = {
        "dir": str(model_dir),
        "created": m.get("created", ""),
        "steps": run_.get("steps", 0),
        "wall_time_ms": run_.get("wall_time_ms", 0),
        "tokens_seen": run_.get("tokens_seen", 0),
        "before": {k: before.get(k, 0) + run_.get(k, 0) for k in ("steps", "wall_time_ms", "tokens_seen")},
    }
    return init_config["architecture"], init_tensors, init_from


def resumed_settings(args, config: dict, saved: dict) -> Settings:
    settings = Settings(**saved["settings"])
    # A resumed run may be extended past a plateau: more epochs, another patience. The learning
    # rate's horizon stays: an extension goes on at the final rate.
    if args.epochs is not None:
        settings.epochs = config["training"]["epochs"] = args.epochs
    if args.patience is not None:
        settings.earlyStoppingPatience = config["training"]["early_stopping_patience"] = args.patience
    return settings


def new_settings(args, t: dict) -> Settings:
    return Settings(
        t["epochs"],
        float(t["learning_rate"]),
        float(t["gradient_clip_norm"]),
        t["early_stopping_patience"],
        t["eval_interval_steps"],
        t["checkpoint_interval_steps"],
        t["seed"],
        None,
        args.lr_decay_to,
        args.lr_decay_steps,
    )


def setup(args, config: dict) -> Run:
    """Reads the data and the checkpoint or starting weights; builds the model, Adam and the run state."""
    d = Dist(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    out = Path(args.out)
    data = Path(args.data)
    tokenizer = read_tokenizer(data / "tokenizer.json")
    saved = read_checkpoint(out / "checkpoint.pt", tokenizer, data) if args.resume else None
    if saved:
        config = saved["config"]
    init_tensors = init_from = None
    if args.init_from and not saved:
        architecture, init_tensors, init_from = read_init_from(Path(args.init_from), tokenizer, data)
        config["architecture"] = {**architecture}
    config["architecture"]["vocab_size"] = len(tokenizer["tokens"])
    net = NetworkConfig.from_architecture(config["architecture"])
    t = config["training"]
    if saved:
        settings = resumed_settings(args, config, saved)
        first_epochs = saved["settings"]["epochs"]
        init_from = saved.get("init_from")
    else:
        settings = new_settings(args, t)
        first_epochs = settings.epochs
    settings.maxSteps = args.max_steps
    batch_size = t["batch_size"]

    train = read_ids(data / "train.ids.jsonl")
    val = read_ids(data / "val.ids.jsonl")
    if not train:
        raise SystemExit(
            f"error: {data}/train.ids.jsonl holds no examples: rebuild the data with `npm run cli -- dataset` from Python files (--source) or generated functions (--generated)"
        )
    val_batches = [
        pack([val[i] for i in g]) for g in spread(bucketed_groups(val, batch_size, 1, shuffle=False), args.val_batches)
    ]
    per_epoch = math.ceil(len(train) / batch_size)
    if settings.plannedSteps is None:  # a new run, or a checkpoint from before the horizon was kept
        settings.plannedSteps = first_epochs * per_epoch  # fixed now: see schedule.py

    model = Seq2Seq(net).to(d.device)
    if saved:
        model.load_file_tensors(saved["params"])
    else:
        model.load_file_tensors(init_tensors if init_tensors is not None else initial_tensors(net, settings.seed))
    model = model.to(d.device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    # fused: one kernel per parameter instead of a dozen ops (the same update, rounded a little differently)
    optimizer = torch.optim.Adam(trainable, lr=settings.learningRate, betas=(0.9, 0.999), eps=1e-8, fused=True)
    progress = Progress()
    history = History()
    if saved:
        optimizer.load_state_dict(saved["optimizer"])
        progress = Progress(**saved["progress"])
        history = History(**saved["history"])
        log(d, f"resuming at step {progress.step} (epoch {progress.epoch + 1})")
    wrapped = torch.nn.parallel.DistributedDataParallel(model) if d.world > 1 else model
    log(
        d,
        f"data: {len(train)} training examples, {len(val)} validation ({len(val_batches)} batches used); {per_epoch} batches of {batch_size} per epoch; "
        f"device {d.device}, {d.world} process{'es' if d.world > 1 else ''}, torch {torch.__version__}, {torch.get_num_threads()} threads",
    )
    return Run(
        d=d,
        out=out,
        data=data,
        config=config,
        tokenizer=tokenizer,
        settings=settings,
        init_from=init_from,
        batch_size=batch_size,
        train=train,
        val_batches=val_batches,
        per_epoch=per_epoch,
        model=model,
        wrapped=wrapped,
        trainable=trainable,
        optimizer=optimizer,
        progress=progress,
        history=history,
        max_minutes=args.max_minutes,
        session_first_step=progress.step,
    )
