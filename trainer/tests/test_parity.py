"""Parity with the app (docs/design.md#parity): weights written here load in the TypeScript loader
(hashes checked) and give the same loss (1e-4 relative), token accuracy and greedy output on the
same batch; weights written by the TypeScript trainer do the same here, and training continues."""

from __future__ import annotations

import json
import math

import pytest
import torch

from trainer.data import pack, read_ids
from trainer.files import architecture_hash, read_model_dir, read_tokenizer, write_model_files
from trainer.init import initial_tensors
from trainer.model import NetworkConfig, Seq2Seq
from trainer.presets import PRESETS, preset

from .conftest import probe, run_trainer

COUNT = 8  # examples in the compared batch


def python_loss(model_dir, ids_path):
    config, _, tensors, _ = read_model_dir(model_dir)
    model = Seq2Seq(NetworkConfig.from_architecture(config["architecture"]))
    model.load_file_tensors(tensors)
    model.eval()
    batch = pack(read_ids(ids_path)[:COUNT])
    with torch.no_grad():
        nll, correct, count = model(batch)
    return (nll / count).item(), (correct / count).item(), model.greedy(batch)


def assert_same(ts: dict, py: tuple):
    loss, accuracy, greedy = py
    assert ts["warnings"] == []
    assert math.isclose(ts["loss"], loss, rel_tol=1e-4), f"loss TypeScript {ts['loss']} vs PyTorch {loss}"
    assert math.isclose(ts["accuracy"], accuracy, abs_tol=1e-6)
    assert ts["greedy"] == greedy


@pytest.fixture(scope="module")
def ts_model(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("ts-model")
    probe("write", "--data", str(dataset), "--out", str(out), "--steps", "3", "--layers", "2", "--bidirectional")
    return out


def test_typescript_weights_give_the_same_loss_and_greedy_output_in_pytorch(dataset, ts_model):
    ids = dataset / "val.ids.jsonl"
    assert_same(
        probe("loss", "--models", str(ts_model), "--ids", str(ids), "--count", str(COUNT)), python_loss(ts_model, ids)
    )


def test_pytorch_weights_load_in_the_app_and_give_the_same_loss_and_greedy_output(dataset, tmp_path):
    tokenizer = read_tokenizer(dataset / "tokenizer.json")
    config = preset("tiny")
    config["architecture"].update(num_layers=2, bidirectional_encoder=True, vocab_size=len(tokenizer["tokens"]))
    model = Seq2Seq(NetworkConfig.from_architecture(config["architecture"]))
    model.load_file_tensors(initial_tensors(model.config, 5))
    # a few updates, so that no tensor keeps the values of its initialisation rule (e.g. zero biases)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01)
    train = read_ids(dataset / "train.ids.jsonl")
    for step in range(3):
        nll, _, count = model(pack(train[step * 8 : step * 8 + 8]))
        optimizer.zero_grad()
        (nll / count).backward()
        optimizer.step()
    # noise on every weight, bias included, so every parameter shows in the loss (see probe.ts)
    g = torch.Generator().manual_seed(11)
    tensors = {k: v + (torch.rand(v.shape, generator=g) - 0.5) for k, v in model.file_tensors().items()}
    write_model_files(tmp_path, config, tokenizer, tensors)
    ids = dataset / "val.ids.jsonl"
    assert_same(
        probe("loss", "--models", str(tmp_path), "--ids", str(ids), "--count", str(COUNT)), python_loss(tmp_path, ids)
    )


def test_a_typescript_model_continues_training_in_pytorch_and_loads_back_in_the_app(dataset, ts_model, tmp_path):
    r = run_trainer(
        "train",
        "--data",
        str(dataset),
        "--preset",
        "tiny",
        "--init-from",
        str(ts_model),
        "--out",
        str(tmp_path),
        "--max-steps",
        "3",
        "--threads",
        "1",
    )
    assert r.returncode == 0, r.stderr
    before, after = read_model_dir(ts_model)[2], read_model_dir(tmp_path)[2]
    assert set(before) == set(after) and any(not torch.equal(before[k], after[k]) for k in before)
    ids = dataset / "val.ids.jsonl"
    assert_same(
        probe("loss", "--models", str(tmp_path), "--ids", str(ids), "--count", str(COUNT)), python_loss(tmp_path, ids)
    )


def test_presets_and_architecture_hashes_equal_the_typescript_ones():
    ts = probe("presets")
    for name, config in PRESETS.items():
        mine = {k: v for k, v in config.items()}
        theirs = {k: v for k, v in ts["presets"][name].items() if k != "training_results"}
        assert json.loads(json.dumps(mine)) == theirs, name
        assert architecture_hash(config["architecture"]) == ts["architecture_hashes"][name], name


def test_the_weights_writer_gives_the_same_bytes_as_the_apps(ts_model, tmp_path, dataset):
    from trainer.files import read_safetensors, write_safetensors

    tensors, metadata = read_safetensors(ts_model / "lstm_weights.bin")
    write_safetensors(
        tmp_path / "again.bin", tensors, {k: v for k, v in metadata.items() if k not in ("format", "format_version")}
    )
    assert (tmp_path / "again.bin").read_bytes() == (ts_model / "lstm_weights.bin").read_bytes()
    # and the vocabulary hash is the one the TypeScript tokenizer recorded for itself
    recorded = json.loads((dataset / "tokenizer.json").read_text())["fingerprint"]
    assert read_tokenizer(dataset / "tokenizer.json")["fingerprint"] == recorded == metadata["vocab_hash"]
