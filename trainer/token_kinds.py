"""Teacher-forced accuracy by the kind of target token, for comparing vocabularies:
`python3 -m trainer.token_kinds --models DIR --data DIR [--val-batches N] [--batch-size B]`.

A target token is in the vocabulary, or reachable only by copying it from the source (an extended
id), or neither (the model can only say <unk>). A larger vocabulary moves tokens from the copy kind
to the vocabulary kind; validation loss alone hides how well the model emits each, and counts every
<unk> as one easy class. The validation batches are those the trainer evaluates on (setup.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from .data import bucketed_groups, pack, read_ids, spread
from .files import ModelFileError, read_model_dir, read_tokenizer
from .model import UNK_ID, Batch, NetworkConfig, Seq2Seq

KINDS = ("vocabulary", "copy", "unknown")
DEFAULT_VAL_BATCHES = 20  # the trainer's default (--val-batches)
DEFAULT_BATCH_SIZE = 32  # the seed preset's batch


def kind_masks(tgt_out: torch.Tensor, tgt_mask: torch.Tensor, vocab_size: int) -> dict[str, torch.Tensor]:
    """Boolean [B, T] masks of the real target positions of each kind."""
    real = tgt_mask > 0
    unknown = tgt_out == UNK_ID
    return {
        "vocabulary": real & (tgt_out < vocab_size) & ~unknown,
        "copy": real & (tgt_out >= vocab_size),
        "unknown": real & unknown,
    }


def kind_accuracy(model: Seq2Seq, batches: list[Batch]) -> dict:
    """Per kind: target tokens, their share of all, and the share the model's argmax gets right."""
    counts = {k: [0, 0] for k in KINDS}
    was = model.training
    model.eval()
    with torch.no_grad():
        for b in batches:
            right = model.target_probs(b).argmax(2) == b.tgt_out
            for kind, mask in kind_masks(b.tgt_out, b.tgt_mask, model.config.vocab_size).items():
                counts[kind][0] += int(mask.sum())
                counts[kind][1] += int((mask & right).sum())
    model.train(was)
    total = sum(tokens for tokens, _ in counts.values())
    return {
        kind: {
            "tokens": tokens,
            "share": tokens / total if total else None,
            "accuracy": correct / tokens if tokens else None,
        }
        for kind, (tokens, correct) in counts.items()
    }


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python3 -m trainer.token_kinds", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--models", required=True, help="a model folder (lstm_weights.bin, model_config.toml, tokenizer.json)"
    )
    p.add_argument("--data", required=True, help="the data folder it was trained on (val.ids.jsonl, tokenizer.json)")
    p.add_argument("--val-batches", type=int, default=DEFAULT_VAL_BATCHES)
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        config, tokenizer, tensors, _ = read_model_dir(Path(args.models))
    except ModelFileError as e:
        raise SystemExit(f"error: {e}") from None
    data = Path(args.data)
    if read_tokenizer(data / "tokenizer.json")["fingerprint"] != tokenizer["fingerprint"]:
        raise SystemExit(f"error: {args.models} has another vocabulary than {data}/tokenizer.json")
    model = Seq2Seq(NetworkConfig.from_architecture(config["architecture"]))
    model.load_file_tensors(tensors)
    val = read_ids(data / "val.ids.jsonl")
    groups = spread(bucketed_groups(val, args.batch_size, 1, shuffle=False), args.val_batches)
    result = {
        "models": args.models,
        "data": str(data),
        "vocab_size": len(tokenizer["tokens"]),
        "val_batches": len(groups),
        "kinds": kind_accuracy(model, [pack([val[i] for i in g]) for g in groups]),
    }
    sys.stdout.write(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
