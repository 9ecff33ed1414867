"""The training loop: Adam, global-norm clipping, linear learning-rate decay, dropout, early
stopping on validation loss, length-bucketed batches, exact resume, DistributedDataParallel.

Every process builds the same global batch (the order is a function of seed and epoch) and
trains on its shard (examples rank, rank + N, ...). Each shard's loss is its summed negative
log-likelihood divided by the global batch's token count, times N: DDP averages gradients over the
N processes, so the update equals that of one process on the whole global batch.

`run` is `setup` (setup.py), then `train_step`, `report_step`, `run_eval` and `save_checkpoint`
until a stop condition, then `finish`; the state they share is in state.py.
"""

from __future__ import annotations

import gc
import math
import os
import signal
import sys
import time
from dataclasses import asdict

import torch

from .data import bucketed_groups, pack, real_tokens
from .dist import log
from .files import write_model_files
from .metrics import write_metrics
from .model import Seq2Seq
from .schedule import learning_rate_at
from .setup import setup
from .state import Run

PROGRESS_LINE_SECONDS = 1.0  # at most one progress line a second (and one at the last step)
RECENT_STEPS = 20  # the progress line's tokens per second are those of the last steps


class NonFiniteLoss(RuntimeError):
    pass


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


# --- files ---


def save_checkpoint(r: Run) -> None:
    if not r.d.main:
        return
    r.out.mkdir(parents=True, exist_ok=True)
    snapshot = {
        "config": r.config,
        "vocab_hash": r.tokenizer["fingerprint"],
        "settings": asdict(r.settings),
        "progress": {**asdict(r.progress), "elapsedMs": r.elapsed_ms()},
        "history": asdict(r.history),
        "params": r.model.file_tensors(),
        "optimizer": r.optimizer.state_dict(),
        "init_from": r.init_from,
    }
    torch.save(snapshot, f"{r.checkpoint_path}.tmp")
    os.replace(f"{r.checkpoint_path}.tmp", r.checkpoint_path)


def save_model(r: Run) -> None:
    if r.d.main:
        tensors = r.model.file_tensors()
        write_model_files(
            r.out, r.config, r.tokenizer, tensors, {"trainer": "pytorch", "torch_version": torch.__version__}
        )


# --- step ---


def train_step(r: Run) -> dict:
    """One update on the next global batch; returns its step record. Raises NonFiniteLoss before updating."""
    s, p, d = r.settings, r.progress, r.d
    step_started = time.perf_counter()
    if p.epoch not in r.epoch_groups:  # the epoch's order: a function of (seed, epoch)
        r.epoch_groups.clear()
        r.epoch_groups[p.epoch] = bucketed_groups(r.train, r.batch_size, s.seed * 1_000_003 + p.epoch)
    group = r.epoch_groups[p.epoch][p.batchInEpoch]
    shard = group[d.rank :: d.world]
    weight = 1.0
    if not shard:  # a last batch smaller than the world: this process joins with a zero-weight example
        shard, weight = group[:1], 0.0
    global_tokens = sum(len(r.train[i].tgt_out) for i in group)
    batch = pack([r.train[i] for i in shard]).to(d.device)
    # dropout masks: a function of (seed, step, rank), so a resumed run draws the same ones
    torch.manual_seed(s.seed * 1_000_003 + p.step * 1009 + d.rank)
    lr = learning_rate_at(p.step + 1, s.schedule())
    for g in r.optimizer.param_groups:
        g["lr"] = lr
    r.optimizer.zero_grad(set_to_none=True)
    nll, correct, _ = r.wrapped(batch)
    (nll * (weight * d.world / global_tokens)).backward()
    norm = torch.nn.utils.clip_grad_norm_(r.trainable, s.gradientClipNorm if s.gradientClipNorm > 0 else float("inf"))
    nll_sum, correct_sum = d.all_sum([nll.item() * weight, correct.item() * weight])
    norm_value = norm.item()
    loss = nll_sum / global_tokens
    if not math.isfinite(loss) or not math.isfinite(norm_value):
        what = f"loss ({loss})" if not math.isfinite(loss) else f"gradient norm ({norm_value})"
        raise NonFiniteLoss(
            f"training stopped at step {p.step + 1} (epoch {p.epoch + 1}): the {what} is not finite; the weights were not updated"
            f" and the last checkpoint is kept. Lower the learning rate or the gradient clip norm, then resume with --resume."
        )
    r.optimizer.step()
    tokens = int(d.all_sum([float(real_tokens(batch)) * weight])[0])
    step_ms = (time.perf_counter() - step_started) * 1000
    p.step += 1
    p.batchInEpoch += 1
    p.tokensSeen += tokens
    record = {
        "step": p.step,
        "epoch": p.epoch,
        "loss": loss,
        "accuracy": correct_sum / global_tokens,
        "gradNorm": norm_value,
        "learningRate": lr,
        "tokens": tokens,
        "stepMs": step_ms,
        "tokensPerSecond": tokens * 1000 / step_ms,
    }
    r.history.steps.append(record)
    return record


def report_step(r: Run, record: dict, end_of_epoch: bool) -> None:
    """The progress line: step, epoch, loss, accuracy, learning rate, tokens per second, ETA."""
    p, total = r.progress, r.steps_to_run()
    now = time.perf_counter()
    if not r.d.main or (now - r.last_print <= PROGRESS_LINE_SECONDS and p.step != total):
        return
    r.last_print = now
    rate = (p.step - r.session_first_step) / max(now - r.session_start, 1e-9)
    eta = (total - p.step) / rate if rate > 0 else float("nan")
    recent = r.history.steps[-RECENT_STEPS:]
    tps = sum(s["tokens"] for s in recent) * 1000 / sum(s["stepMs"] for s in recent)
    line = (
        f"step {p.step}/{total} epoch {p.epoch + (0 if end_of_epoch else 1)}/{r.settings.epochs} loss {record['loss']:.4f} "
        f"acc {record['accuracy'] * 100:.1f}% lr {record['learningRate']:.2e} {tps:,.0f} tok/s {record['stepMs']:.0f} ms/step ETA {eta / 60:.1f} min"
    )
    sys.stderr.write(("\r" + line) if sys.stderr.isatty() else line + "\n")
    sys.stderr.flush()


# --- evaluation ---


def run_eval(r: Run) -> bool:
    """Evaluates on the validation batches, keeps the best model in --out; True when patience ran out."""
    p, d = r.progress, r.d
    started = time.perf_counter()
    val_loss, val_acc = evaluate(r.model, r.val_batches, d.device) if d.main else (0.0, 0.0)
    val_loss, val_acc = d.broadcast([val_loss, val_acc])
    record = {
        "step": p.step,
        "epoch": p.epoch,
        "valLoss": val_loss,
        "valTokenAccuracy": val_acc,
        "scores": {},
        "evalMs": (time.perf_counter() - started) * 1000,
    }
    r.history.evals.append(record)
    log(
        d,
        f"\neval @ step {p.step}: val loss {val_loss:.4f}, token accuracy {val_acc * 100:.1f}% ({record['evalMs'] / 1000:.1f} s)",
    )
    if p.bestValLoss is None or val_loss < p.bestValLoss:
        p.bestValLoss = val_loss
        p.evalsWithoutImprovement = 0
        save_model(r)  # the folder always holds the best model so far
    else:
        p.evalsWithoutImprovement += 1
    patience = r.settings.earlyStoppingPatience
    return patience > 0 and p.evalsWithoutImprovement >= patience


# --- finish ---


def finish(r: Run, reason: str) -> int:
    """The last step evaluated, the checkpoint and training_metrics.json written, the process group closed."""
    p, d = r.progress, r.d
    if not r.history.evals or r.history.evals[-1]["step"] != p.step:
        run_eval(r)  # the folder's model is the best one evaluated, and the last step is always evaluated
    save_checkpoint(r)
    p.elapsedMs = r.elapsed_ms()
    if d.main:
        write_metrics(
            r.out,
            r.config,
            r.tokenizer,
            r.settings,
            p,
            r.history,
            reason,
            d,
            r.batch_size,
            r.data,
            r.init_from,
            r.model,
        )
        log(
            d,
            f"stopped: {reason} at step {p.step} after {p.elapsedMs / 60000:.1f} min of training; wrote {r.out}/lstm_weights.bin, model_config.toml, tokenizer.json, training_metrics.json",
        )
    # DDP's reducer holds the process group; free it now, not at interpreter exit, where gloo's
    # threads would meet a half-torn-down interpreter.
    del r.wrapped
    gc.collect()
    d.close()
    return 0


def stop_reason(r: Run, stop_requested: list[str]) -> str | None:
    """Why the run stops before its next step, if it does."""
    if r.settings.maxSteps is not None and r.progress.step >= r.settings.maxSteps:
        return "max-steps"
    if r.max_minutes is not None and (time.perf_counter() - r.session_start) >= r.max_minutes * 60:
        return "max-minutes"
    if stop_requested:
        return "aborted"
    return None


def run(args, config: dict) -> int:
    r = setup(args, config)
    s, p = r.settings, r.progress
    stop_requested: list[str] = []
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.append("aborted"))
    reason = "finished"
    r.wrapped.train()
    try:
        while p.epoch < s.epochs:
            stopped = stop_reason(r, stop_requested)
            if stopped:
                reason = stopped
                break
            record = train_step(r)
            end_of_epoch = p.batchInEpoch == r.per_epoch
            if end_of_epoch:
                p.epoch += 1
                p.batchInEpoch = 0
            report_step(r, record, end_of_epoch)
            eval_due = (s.evalIntervalSteps > 0 and p.step % s.evalIntervalSteps == 0) or end_of_epoch
            stop_early = run_eval(r) if eval_due else False
            if s.checkpointIntervalSteps > 0 and p.step % s.checkpointIntervalSteps == 0:
                save_checkpoint(r)
            if stop_early:
                reason = "early-stopped"
                break
    except KeyboardInterrupt:
        reason = "aborted"
    finally:
        if sys.stderr.isatty():
            log(r.d, "")
    return finish(r, reason)
