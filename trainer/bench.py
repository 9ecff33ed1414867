"""`python3 -m trainer bench`: the PyTorch rows of `npm run cli -- bench` (src/cli/bench-pytorch.ts runs
this): on the bench's shapes (batch 32, sources of 60 tokens, targets of 16, vocabulary 2000, 20
greedy tokens of one source with </s> forbidden), a whole training step (forward, backward,
global-norm clipping, Adam), tokens per second and greedy decoding per token, medians after warm-up;
then, unless --no-profile, what limits the step and a greedy token (torch.profiler) and the step's
floor, its matmuls alone on the same threads (trainer/floor.py)."""

from __future__ import annotations

import json
import math
import statistics
import tempfile
import time
from pathlib import Path

import torch

from .files import read_model_dir, vocab_hash, write_model_files
from .floor import measure_floor, profile_work
from .init import initial_tensors
from .model import Batch, NetworkConfig, Seq2Seq, param_shapes
from .presets import preset

BATCH, SOURCE, TARGET, DECODE_TOKENS, VOCAB = 32, 60, 16, 20, 2000


def synthetic_batch(vocab: int, seed: int) -> Batch:
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(4, vocab, (BATCH, SOURCE), generator=g)
    tgt_out = torch.randint(4, vocab, (BATCH, TARGET), generator=g)
    tgt_in = torch.cat([torch.full((BATCH, 1), 2), tgt_out[:, :-1]], dim=1)
    return Batch(src, src.clone(), torch.ones(BATCH, SOURCE), tgt_in, tgt_out, torch.ones(BATCH, TARGET), 0)


def bench(preset_name: str, runs: int, with_profile: bool = True) -> dict:
    config = preset(preset_name)
    config["architecture"]["vocab_size"] = VOCAB
    net = NetworkConfig.from_architecture(config["architecture"])
    model = Seq2Seq(net)
    tensors = initial_tensors(net, 2)
    model.load_file_tensors(tensors)
    # load: read and check the three files, fill the model (as the app does after fetching them)
    tokens = [f"t{i}" for i in range(VOCAB)]
    tokenizer = {
        "format": "lstm-coding-optimizer-tokenizer",
        "lexer_version": 1,
        "specials": [],
        "tokens": tokens,
        "fingerprint": vocab_hash(tokens, 1),
    }
    loads = []
    with tempfile.TemporaryDirectory() as folder:
        write_model_files(Path(folder), config, tokenizer, tensors)
        for _ in range(3):
            t0 = time.perf_counter()
            fresh = Seq2Seq(net)
            fresh.load_file_tensors(read_model_dir(Path(folder))[2])
            loads.append((time.perf_counter() - t0) * 1000)
    batch = synthetic_batch(VOCAB, 5)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=1e-3, fused=True)  # as trainer/setup.py
    model.train()
    steps = []
    real = int(batch.src_mask.sum().item() + batch.tgt_mask.sum().item())

    def train_step() -> None:
        optimizer.zero_grad(set_to_none=True)
        nll, _, count = model(batch)
        (nll / count).backward()
        norm = torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        if not math.isfinite(norm.item()):
            raise RuntimeError("bench: non-finite gradient norm")
        optimizer.step()

    for i in range(runs + 2):  # two warm-up steps
        t0 = time.perf_counter()
        train_step()
        if i >= 2:
            steps.append((time.perf_counter() - t0) * 1000)
    # what limits a step, and its floor, right after the timed steps (the same load, the same threads)
    step_profile = profile_work(train_step, 1) if with_profile else None
    floor = measure_floor(step_profile["matmuls"]) if step_profile else None
    model.eval()
    one = Batch(
        batch.src[:1], batch.src_ext[:1], batch.src_mask[:1], batch.tgt_in[:1], batch.tgt_out[:1], batch.tgt_mask[:1], 0
    )

    def decode() -> None:
        out = model.greedy(one, max_len=DECODE_TOKENS, min_len=DECODE_TOKENS)
        assert len(out[0]) == DECODE_TOKENS

    greedy = []
    for i in range(max(2, min(runs, 5)) + 1):
        t0 = time.perf_counter()
        decode()
        if i > 0:
            greedy.append((time.perf_counter() - t0) * 1000 / DECODE_TOKENS)
    profiled = {"trainStep": step_profile, "greedyToken": profile_work(decode, DECODE_TOKENS)} if step_profile else None
    step_ms = statistics.median(steps)
    return {
        "preset": preset_name,
        "parameters": sum(math.prod(s) for s in param_shapes(net).values()),
        "trainStepMs": step_ms,
        "tokensPerSecond": real * 1000 / step_ms,
        "greedyMsPerToken": statistics.median(greedy),
        "loadMs": statistics.median(loads),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "floorMs": floor["floorMs"] if floor else None,
        "floor": floor,
        "profile": profiled,
    }


def main(args) -> int:
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = [bench(p, args.runs, not args.no_profile) for p in args.presets.split(",")]
    print(json.dumps({"rows": rows}))
    return 0
