"""The PyTorch step's floor (trainer/floor.py): matmuls read off the profile by op and shape, timed
alone and added up by count, and the same matmul work as the TypeScript bench counts for the network."""

from __future__ import annotations

import json
import math

import pytest
import torch

from trainer.bench import bench
from trainer.floor import matmul_flops, measure_floor, profile_work
from trainer.init import initial_tensors
from trainer.model import Batch, NetworkConfig, Seq2Seq
from trainer.presets import preset

from .conftest import probe

# The two sides' products differ a little: the TypeScript copy distribution is a one-hot matmul
# (a scatter-add here), and each side skips a different few products against zero states.
SAME_WORK_TOLERANCE = 0.03


def test_the_profile_lists_each_matmul_by_op_and_shape_with_its_count():
    a, b, bias = torch.randn(4, 8), torch.randn(8, 16), torch.randn(16)
    batched = torch.randn(3, 4, 8), torch.randn(3, 8, 5)

    def work():
        for _ in range(2):
            torch.mm(a, b)
            torch.addmm(bias, a, b)
        torch.bmm(*batched)

    profiled = profile_work(work, 2)  # per unit: work runs two units
    found = {(m["op"], tuple(m["a"]), tuple(m["b"])): m for m in profiled["matmuls"]}
    assert found[("aten::mm", (4, 8), (8, 16))]["count"] == 1
    assert found[("aten::addmm", (4, 8), (8, 16))]["out"] == [4, 16]
    assert found[("aten::bmm", (3, 4, 8), (3, 8, 5))]["count"] == 0.5
    assert matmul_flops([3, 4, 8], [3, 8, 5]) == 2 * 3 * 4 * 5 * 8
    assert 0 < profiled["matmulMs"] <= profiled["kernelMs"]


def test_the_floor_adds_each_shape_up_by_its_count():
    shape = {"op": "aten::mm", "a": [16, 64], "b": [64, 64], "out": [16, 64]}
    once = measure_floor([{**shape, "count": 1}], min_ms=5)
    thrice = measure_floor([{**shape, "count": 3}], min_ms=5)
    assert once["gflop"] == pytest.approx(2 * 16 * 64 * 64 / 1e9)
    assert thrice["gflop"] == pytest.approx(3 * once["gflop"])
    assert once["floorMs"] > 0 and thrice["floorMs"] > once["floorMs"]
    assert once["gflopsPerSecond"] == pytest.approx(once["gflop"] / (once["floorMs"] / 1000))
    assert measure_floor([])["floorMs"] == 0


def test_a_training_step_does_the_matmul_work_the_typescript_bench_counts():
    B, S, T, V = 2, 12, 5, 200
    config = preset("seed")["architecture"]
    config["vocab_size"] = V
    net = NetworkConfig.from_architecture(config)
    model = Seq2Seq(net)
    model.load_file_tensors(initial_tensors(net, 1))
    ids = torch.arange(B * 40).view(B, 40) * 7 % (V - 4) + 4  # as the probe's batch: every position real
    src, tgt_out = ids[:, :S], ids[:, 4 : 4 + T]
    tgt_in = torch.cat([torch.full((B, 1), 2), ids[:, 3 : 3 + T - 1]], 1)
    batch = Batch(src, src, torch.ones(B, S), tgt_in, tgt_out, torch.ones(B, T), 0)

    def step():
        nll, _, count = model(batch)
        (nll / count).backward()

    matmuls = profile_work(step, 1)["matmuls"]
    gflop = sum(m["count"] * matmul_flops(m["a"], m["b"]) for m in matmuls) / 1e9
    ts = probe(
        "flops", "--preset", "seed", "--vocab", str(V), "--batch", str(B), "--source", str(S), "--target", str(T)
    )
    assert math.isclose(gflop, ts["gflop"], rel_tol=SAME_WORK_TOLERANCE), (
        f"PyTorch {gflop} GFLOP, TypeScript {ts['gflop']}"
    )


def test_a_bench_row_carries_its_floor_and_profile_and_none_without_profiling():
    row = json.loads(json.dumps(bench("tiny", 1)))  # as the Node bench reads it
    assert row["floorMs"] == row["floor"]["floorMs"] > 0
    assert row["floor"]["gflop"] > 0
    assert row["profile"]["trainStep"]["matmuls"] and row["profile"]["greedyToken"]["kernels"] > 0
    bare = bench("tiny", 1, with_profile=False)
    assert bare["floorMs"] is None and bare["floor"] is None and bare["profile"] is None
