"""The ids files `npm run cli -- dataset` writes beside each split (src/data/ids-file.ts), and
length-bucketed batches over them (the recipe of src/data/batching.ts's makeBatches)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .model import PAD_ID, Batch


@dataclass
class Example:
    src: list[int]
    src_ext: list[int]
    tgt_in: list[int]
    tgt_out: list[int]
    task: str
    cls: str | None
    line: int
    num_oovs: int  # distinct source tokens outside the vocabulary (extended ids V .. V + num_oovs - 1)


def read_ids(path: Path) -> list[Example]:
    path = Path(path)
    if not path.exists():
        raise SystemExit(
            f"error: {path} does not exist: build the data with `npm run cli -- dataset --out {path.parent}` (it writes the .ids.jsonl files the trainer reads)"
        )
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                out.append(
                    Example(
                        d["src"],
                        d["src_ext"],
                        d["tgt_in"],
                        d["tgt_out"],
                        d["task"],
                        d.get("class"),
                        d["line"],
                        len(d["oovs"]),
                    )
                )
            except (json.JSONDecodeError, KeyError) as e:
                raise SystemExit(
                    f"error: {path}:{n}: not an ids line ({e}); rebuild with `npm run cli -- dataset`"
                ) from None
    return out


def pack(examples: list[Example]) -> Batch:
    """Right-padded tensors of a group of examples (packBatch)."""
    B = len(examples)
    S = max(1, *(len(e.src) for e in examples))
    T = max(1, *(len(e.tgt_out) for e in examples))
    arrays = {
        k: np.full((B, S if k.startswith("src") else T), PAD_ID, dtype=np.int64)
        for k in ("src", "src_ext", "tgt_in", "tgt_out")
    }
    src_mask = np.zeros((B, S), dtype=np.float32)
    tgt_mask = np.zeros((B, T), dtype=np.float32)
    num_oovs = max(e.num_oovs for e in examples)
    for b, e in enumerate(examples):
        for k in arrays:
            v = getattr(e, k)
            arrays[k][b, : len(v)] = v
        src_mask[b, : len(e.src)] = 1
        tgt_mask[b, : len(e.tgt_out)] = 1
    t = {k: torch.from_numpy(v) for k, v in arrays.items()}
    return Batch(
        t["src"],
        t["src_ext"],
        torch.from_numpy(src_mask),
        t["tgt_in"],
        t["tgt_out"],
        torch.from_numpy(tgt_mask),
        num_oovs,
    )


def real_tokens(batch: Batch) -> int:
    return int(batch.src_mask.sum().item() + batch.tgt_mask.sum().item())


def spread(items: list, n: int) -> list:
    """n items at even steps through the list. Validation batches come length-bucketed from one
    stretch of the file at a time: the first n would measure the short examples of that stretch only."""
    if n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def bucketed_groups(
    examples: list[Example],
    batch_size: int,
    seed: int,
    shuffle: bool = True,
    chunk_batches: int = 50,
    window_batches: int = 8,
) -> list[list[int]]:
    """Index groups of one epoch: shuffled, sorted by source then target length within chunks of
    chunk_batches batches (targets re-sorted within windows), the batches shuffled again."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(examples)).tolist() if shuffle else list(range(len(examples)))
    groups = []
    chunk_size = batch_size * chunk_batches

    def src_len(i: int) -> int:
        return len(examples[i].src)

    def tgt_len(i: int) -> int:
        return len(examples[i].tgt_out)

    for start in range(0, len(order), chunk_size):
        chunk = sorted(order[start : start + chunk_size], key=lambda i: (src_len(i), tgt_len(i), i))
        window = batch_size * window_batches
        for w in range(0, len(chunk), window):
            chunk[w : w + window] = sorted(chunk[w : w + window], key=lambda i: (tgt_len(i), src_len(i), i))
        groups.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    if shuffle:
        perm = rng.permutation(len(groups))
        groups = [groups[i] for i in perm]
    return groups
