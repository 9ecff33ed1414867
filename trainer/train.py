"""The training loop: Adam, global-norm clipping, linear learning-rate decay, dropout, early
stopping on validation loss, length-bucketed batches, exact resume, DistributedDataParallel.

Every process builds the same global batch (the order is a function of seed and epoch) and
trains on its shard (examples rank, rank + N, ...). Each shard's loss is its summed negative
log-likelihood divided by the global batch's token count, times N: DDP averages gradients over the
N processes, so the update equals that of one process on the whole global batch.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import torch
import torch.distributed as dist

from .data import bucketed_groups, pack, read_ids, real_tokens, spread
from .files import ModelFileError, read_model_dir, read_tokenizer, write_model_files
from .init import initial_tensors
from .model import NetworkConfig, Seq2Seq, param_shapes

METRICS_FORMAT = "lstm-coding-optimizer-metrics"


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


class NonFiniteLoss(RuntimeError):
    pass


def learning_rate_at(s: Settings, step: int, total: int) -> float:
    """learningRateAt of loop.ts: linear from learningRate at step 1 to decayToFraction × it at the last planned step."""
    if s.decayToFraction is None or total <= 1:
        return s.learningRate
    done = min(1.0, (step - 1) / (total - 1))
    return s.learningRate * (1 - (1 - s.decayToFraction) * done)


class Dist:
    """Rank, world size and device; a single process when torchrun did not start us."""

    def __init__(self, device_arg: str | None):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        want_cuda = device_arg == "cuda" or (device_arg in (None, "auto") and torch.cuda.is_available())
        self.device = torch.device(f"cuda:{local}" if want_cuda else "cpu")
        if want_cuda:
            torch.cuda.set_device(self.device)
        if self.world > 1:
            dist.init_process_group("nccl" if want_cuda else "gloo")
        self.main = self.rank == 0

    def all_sum(self, values: list[float]) -> list[float]:
        if self.world == 1:
            return values
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return t.tolist()

    def broadcast(self, values: list[float]) -> list[float]:
        if self.world == 1:
            return values
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.broadcast(t, 0)
        return t.tolist()

    def close(self):
        # Every rank waits for rank 0's last writes before the group goes away: a rank that tears
        # gloo down while another still holds a connection aborts ("terminate called without an
        # active exception"), and torchrun then fails the whole run.
        if self.world > 1:
            dist.barrier()
            dist.destroy_process_group()


def log(d: Dist, message: str) -> None:
    if d.main:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def evaluate(model: Seq2Seq, batches, device) -> tuple[float, float]:
    """Validation loss per real target token and teacher-forced token accuracy, dropout off."""
    was = model.training
    model.eval()
    nll = correct = count = 0.0
    with torch.no_grad():
        for b in batches:
            n, c, k = model(b.to(device))
            nll, correct, count = nll + n.item(), correct + c.item(), count + k.item()
    model.train(was)
    return nll / max(count, 1), correct / max(count, 1)


def machine() -> str:
    return f"{platform.processor() or platform.machine()} × {os.cpu_count()}, {platform.system()} {platform.release()}, Python {platform.python_version()}, torch {torch.__version__}"


def run(args, config: dict) -> int:
    d = Dist(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    out = Path(args.out)
    data = Path(args.data)
    tokenizer = read_tokenizer(data / "tokenizer.json")
    checkpoint_path = out / "checkpoint.pt"
    saved = None
    if args.resume:
        if not checkpoint_path.exists():
            raise SystemExit(
                f"error: {checkpoint_path} does not exist: start without --resume (or point --out at the run)"
            )
        saved = torch.load(checkpoint_path, map_location="cpu", weights_only=False)
        config = saved["config"]
        if saved["vocab_hash"] != tokenizer["fingerprint"]:
            raise SystemExit(
                f"error: {checkpoint_path} was trained with another vocabulary than {data}/tokenizer.json; resume with the data it was trained on"
            )
    init_tensors = None
    init_from = None
    if args.init_from and not saved:
        try:
            init_config, init_tok, init_tensors, _ = read_model_dir(Path(args.init_from))
        except ModelFileError as e:
            raise SystemExit(f"error: {e}") from None
        if init_tok["fingerprint"] != tokenizer["fingerprint"]:
            raise SystemExit(
                f"error: --init-from {args.init_from} has another vocabulary than {data}/tokenizer.json; build the data with that model's tokenizer or train from scratch"
            )
        config["architecture"] = {**init_config["architecture"]}
        metrics_path = Path(args.init_from) / "training_metrics.json"
        if metrics_path.exists():
            m = json.loads(metrics_path.read_text("utf-8"))
            run_ = m.get("run", {})
            before = (m.get("init_from") or {}).get("before") or {"steps": 0, "wall_time_ms": 0, "tokens_seen": 0}
            init_from = {
                "dir": str(args.init_from),
                "created": m.get("created", ""),
                "steps": run_.get("steps", 0),
                "wall_time_ms": run_.get("wall_time_ms", 0),
                "tokens_seen": run_.get("tokens_seen", 0),
                "before": {k: before.get(k, 0) + run_.get(k, 0) for k in ("steps", "wall_time_ms", "tokens_seen")},
            }
    config["architecture"]["vocab_size"] = len(tokenizer["tokens"])
    net = NetworkConfig.from_architecture(config["architecture"])
    t = config["training"]
    if saved:
        settings = Settings(**saved["settings"])
        init_from = saved.get("init_from")
        # A resumed run may be extended past a plateau: more epochs, another patience.
        if args.epochs is not None:
            settings.epochs = config["training"]["epochs"] = args.epochs
        if args.patience is not None:
            settings.earlyStoppingPatience = config["training"]["early_stopping_patience"] = args.patience
    else:
        settings = Settings(
            t["epochs"],
            float(t["learning_rate"]),
            float(t["gradient_clip_norm"]),
            t["early_stopping_patience"],
            t["eval_interval_steps"],
            t["checkpoint_interval_steps"],
            t["seed"],
            None,
            args.lr_decay_to,
        )
    settings.maxSteps = args.max_steps
    batch_size = t["batch_size"]

    train = read_ids(data / "train.ids.jsonl")
    val = read_ids(data / "val.ids.jsonl")
    if not train:
        raise SystemExit(
            f"error: {data}/train.ids.jsonl holds no examples: add data or lower nothing; rebuild with `npm run cli -- dataset`"
        )
    val_batches = [
        pack([val[i] for i in g]) for g in spread(bucketed_groups(val, batch_size, 1, shuffle=False), args.val_batches)
    ]
    per_epoch = math.ceil(len(train) / batch_size)

    model = Seq2Seq(net).to(d.device)
    if saved:
        model.load_file_tensors(saved["params"])
    else:
        model.load_file_tensors(init_tensors if init_tensors is not None else initial_tensors(net, settings.seed))
    model = model.to(d.device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=settings.learningRate, betas=(0.9, 0.999), eps=1e-8)
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

    def save_checkpoint():
        if not d.main:
            return
        out.mkdir(parents=True, exist_ok=True)
        snapshot = {
            "config": config,
            "vocab_hash": tokenizer["fingerprint"],
            "settings": asdict(settings),
            "progress": {**asdict(progress), "elapsedMs": elapsed()},
            "history": asdict(history),
            "params": model.file_tensors(),
            "optimizer": optimizer.state_dict(),
            "init_from": init_from,
        }
        torch.save(snapshot, f"{checkpoint_path}.tmp")
        os.replace(f"{checkpoint_path}.tmp", checkpoint_path)

    def save_model():
        if d.main:
            write_model_files(
                out, config, tokenizer, model.file_tensors(), {"trainer": "pytorch", "torch_version": torch.__version__}
            )

    def run_eval() -> bool:
        started = time.perf_counter()
        val_loss, val_acc = evaluate(model, val_batches, d.device) if d.main else (0.0, 0.0)
        val_loss, val_acc = d.broadcast([val_loss, val_acc])
        record = {
            "step": progress.step,
            "epoch": progress.epoch,
            "valLoss": val_loss,
            "valTokenAccuracy": val_acc,
            "scores": {},
            "evalMs": (time.perf_counter() - started) * 1000,
        }
        history.evals.append(record)
        log(
            d,
            f"\neval @ step {progress.step}: val loss {val_loss:.4f}, token accuracy {val_acc * 100:.1f}% ({record['evalMs'] / 1000:.1f} s)",
        )
        if progress.bestValLoss is None or val_loss < progress.bestValLoss:
            progress.bestValLoss = val_loss
            progress.evalsWithoutImprovement = 0
            save_model()  # the folder always holds the best model so far
        else:
            progress.evalsWithoutImprovement += 1
        return settings.earlyStoppingPatience > 0 and progress.evalsWithoutImprovement >= settings.earlyStoppingPatience

    session_start = time.perf_counter()
    elapsed = lambda: progress.elapsedMs + (time.perf_counter() - session_start) * 1000
    stop_requested = []
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.append("aborted"))
    # The learning rate decays over the planned epochs; --max-steps only stops the run, so a run
    # stopped and resumed follows the same schedule as one that did not stop.
    planned = settings.epochs * per_epoch
    total = min(settings.maxSteps, planned) if settings.maxSteps else planned
    reason = "finished"
    last_print = 0.0
    session_first_step = progress.step
    epoch_groups: dict[int, list[list[int]]] = {}
    wrapped.train()
    try:
        while progress.epoch < settings.epochs:
            if settings.maxSteps is not None and progress.step >= settings.maxSteps:
                reason = "max-steps"
                break
            if args.max_minutes is not None and (time.perf_counter() - session_start) >= args.max_minutes * 60:
                reason = "max-minutes"
                break
            if stop_requested:
                reason = "aborted"
                break
            step_started = time.perf_counter()
            if progress.epoch not in epoch_groups:  # the epoch's order: a function of (seed, epoch)
                epoch_groups.clear()
                epoch_groups[progress.epoch] = bucketed_groups(
                    train, batch_size, settings.seed * 1_000_003 + progress.epoch
                )
            groups = epoch_groups[progress.epoch]
            group = groups[progress.batchInEpoch]
            shard = group[d.rank :: d.world]
            weight = 1.0
            if not shard:  # a last batch smaller than the world: this process joins with a zero-weight example
                shard, weight = group[:1], 0.0
            global_tokens = sum(len(train[i].tgt_out) for i in group)
            batch = pack([train[i] for i in shard]).to(d.device)
            # dropout masks: a function of (seed, step, rank), so a resumed run draws the same ones
            torch.manual_seed(settings.seed * 1_000_003 + progress.step * 1009 + d.rank)
            lr = learning_rate_at(settings, progress.step + 1, planned)
            for g in optimizer.param_groups:
                g["lr"] = lr
            optimizer.zero_grad(set_to_none=True)
            nll, correct, count = wrapped(batch)
            (nll * (weight * d.world / global_tokens)).backward()
            norm = torch.nn.utils.clip_grad_norm_(
                trainable, settings.gradientClipNorm if settings.gradientClipNorm > 0 else float("inf")
            )
            nll_sum, correct_sum, norm_value = d.all_sum([nll.item() * weight, correct.item() * weight, 0.0])[0:2] + [
                norm.item()
            ]
            loss = nll_sum / global_tokens
            if not math.isfinite(loss) or not math.isfinite(norm_value):
                what = f"loss ({loss})" if not math.isfinite(loss) else f"gradient norm ({norm_value})"
                raise NonFiniteLoss(
                    f"training stopped at step {progress.step + 1} (epoch {progress.epoch + 1}): the {what} is not finite; the weights were not updated"
                    f" and the last checkpoint is kept. Lower the learning rate or the gradient clip norm, then resume with --resume."
                )
            optimizer.step()
            tokens = int(d.all_sum([float(real_tokens(batch)) * weight])[0])
            step_ms = (time.perf_counter() - step_started) * 1000
            progress.step += 1
            progress.batchInEpoch += 1
            progress.tokensSeen += tokens
            history.steps.append(
                {
                    "step": progress.step,
                    "epoch": progress.epoch,
                    "loss": loss,
                    "accuracy": correct_sum / global_tokens,
                    "gradNorm": norm_value,
                    "tokens": tokens,
                    "stepMs": step_ms,
                    "tokensPerSecond": tokens * 1000 / step_ms,
                }
            )
            end_of_epoch = progress.batchInEpoch == per_epoch
            if end_of_epoch:
                progress.epoch += 1
                progress.batchInEpoch = 0
            now = time.perf_counter()
            if d.main and (now - last_print > 1.0 or progress.step == total):
                last_print = now
                done_session = progress.step - session_first_step
                rate = done_session / max(now - session_start, 1e-9)
                eta = (total - progress.step) / rate if rate > 0 else float("nan")
                recent = history.steps[-20:]
                tps = sum(s["tokens"] for s in recent) * 1000 / sum(s["stepMs"] for s in recent)
                line = (
                    f"step {progress.step}/{total} epoch {progress.epoch + (0 if end_of_epoch else 1)}/{settings.epochs} loss {loss:.4f} "
                    f"acc {correct_sum / global_tokens * 100:.1f}% lr {lr:.2e} {tps:,.0f} tok/s {step_ms:.0f} ms/step ETA {eta / 60:.1f} min"
                )
                sys.stderr.write(("\r" + line) if sys.stderr.isatty() else line + "\n")
                sys.stderr.flush()
            eval_due = (
                settings.evalIntervalSteps > 0 and progress.step % settings.evalIntervalSteps == 0
            ) or end_of_epoch
            stop_early = run_eval() if eval_due else False
            if settings.checkpointIntervalSteps > 0 and progress.step % settings.checkpointIntervalSteps == 0:
                save_checkpoint()
            if stop_early:
                reason = "early-stopped"
                break
    except KeyboardInterrupt:
        reason = "aborted"
    finally:
        if sys.stderr.isatty():
            log(d, "")
    if not history.evals or history.evals[-1]["step"] != progress.step:
        run_eval()  # the folder's model is the best one evaluated, and the last step is always evaluated
    save_checkpoint()
    progress.elapsedMs = elapsed()
    if d.main:
        write_metrics(
            out, config, tokenizer, settings, progress, history, reason, d, batch_size, data, init_from, model
        )
        log(
            d,
            f"stopped: {reason} at step {progress.step} after {progress.elapsedMs / 60000:.1f} min of training; wrote {out}/lstm_weights.bin, model_config.toml, tokenizer.json, training_metrics.json",
        )
    # DDP's reducer holds the process group; free it now, not at interpreter exit, where gloo's
    # threads would meet a half-torn-down interpreter.
    del wrapped
    gc.collect()
    d.close()
    return 0


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
