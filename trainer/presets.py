"""model_config.toml presets, the same as src/model/files/config.ts's MODEL_PRESETS (a test compares them
with the TypeScript ones), and reading a config file on top of the seed defaults."""

from __future__ import annotations

import copy
import sys
import tomllib
from pathlib import Path

SEED = {
    "model": {
        "name": "lstm-coding-optimizer",
        "version": "0.1.0",
        "description": "Sequence-to-sequence LSTM with attention and copy that fixes, completes and writes short Python functions.",
    },
    "architecture": {
        "embedding_dim": 128,
        "hidden_size": 256,
        "num_layers": 2,
        "bidirectional_encoder": True,
        "attention_heads": 4,
        "dropout": 0.2,
        "copy_mechanism": True,
        "max_sequence_length": 100,
        "max_target_length": 100,
        "vocab_size": 2000,
    },
    "paths": {"weights": "lstm_weights.bin", "tokenizer": "tokenizer.json", "metrics": "training_metrics.json"},
    "inference": {
        "beam_width": 5,
        "temperature": 0.7,
        "top_k": 40,
        "top_p": 0.9,
        "repetition_penalty": 1.1,
        "length_penalty": 0.6,
    },
    "cognitive_patterns": {
        "convergent": {"focus_threshold": 0.8, "solution_refinement_iterations": 3, "suspect_name_beam_width": 20},
        "divergent": {"creativity_factor": 1.2, "alternative_generation_count": 5},
        "hybrid": {"mode_switching_threshold": 0.5, "convergent_weight": 0.6, "divergent_weight": 0.4},
    },
    "training": {
        "epochs": 25,
        "learning_rate": 0.001,
        "batch_size": 32,
        "gradient_clip_norm": 1.0,
        "early_stopping_patience": 5,
        "eval_interval_steps": 200,
        "checkpoint_interval_steps": 1000,
        "seed": 42,
    },
}


def _with_changes(description: str, architecture: dict, training: dict) -> dict:
    c = copy.deepcopy(SEED)
    c["model"]["description"] = f"{SEED['model']['description']} {description}"
    c["architecture"].update(architecture)
    c["training"].update(training)
    return c


PRESETS = {
    "seed": SEED,
    "small": _with_changes("(small preset)", {"embedding_dim": 64, "hidden_size": 128, "dropout": 0.1}, {"epochs": 10}),
    "tiny": _with_changes(
        "(tiny preset)",
        {
            "embedding_dim": 16,
            "hidden_size": 32,
            "num_layers": 1,
            "bidirectional_encoder": False,
            "attention_heads": 2,
            "dropout": 0,
            "max_sequence_length": 64,
            "max_target_length": 32,
        },
        {"epochs": 3, "batch_size": 8, "eval_interval_steps": 20, "checkpoint_interval_steps": 100},
    ),
}


def preset(name: str) -> dict:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}: use seed, small or tiny")
    return copy.deepcopy(PRESETS[name])


# Keys earlier versions wrote but nothing read (config.ts's RETIRED_KEYS): dropped with a warning.
RETIRED_KEYS = (
    ("cognitive_patterns", "divergent", "exploration_probability"),
    ("cognitive_patterns", "divergent", "semantic_diversity_threshold"),
)


def _drop_retired(doc: dict, path: Path) -> None:
    for *sections, key in RETIRED_KEYS:
        table = doc
        for name in sections:
            table = table.get(name) if isinstance(table, dict) else None
        if isinstance(table, dict) and key in table:
            del table[key]
            print(
                f"warning: {path}: [{'.'.join(sections)}] {key} is no longer a setting (nothing read it); ignored",
                file=sys.stderr,
            )


def _merge(base: dict, over: dict) -> dict:
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            _merge(base[k], v)
        else:
            base[k] = v
    return base


def read_config(path: Path) -> dict:
    """A model_config.toml over the seed defaults (missing keys take the seed's values, as config.ts does)."""
    try:
        doc = tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"error: {path}: not found") from None
    except tomllib.TOMLDecodeError as e:
        raise SystemExit(f"error: {path}: not valid TOML ({e})") from None
    doc.pop("training_results", None)  # measured values of another run
    _drop_retired(doc, path)
    config = _merge(copy.deepcopy(SEED), doc)
    # keep [architecture] to the keys the app hashes (architecture_hash)
    config["architecture"] = {k: config["architecture"][k] for k in SEED["architecture"]}
    for k in ("dropout",):
        config["architecture"][k] = float(config["architecture"][k])
    return config
