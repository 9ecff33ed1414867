"""Fixtures: a small dataset made by the TypeScript generator (`npm run cli -- dataset`), built by
the test session itself (CI has no data/ folder), and a runner for the TypeScript probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

torch.set_num_threads(1)  # the machine is shared; more threads only contend

REPO = Path(__file__).resolve().parents[2]
TSX = REPO / "node_modules" / ".bin" / "tsx"


def run_ts(*args: str) -> str:
    """Runs a TypeScript file of the repository with tsx; returns stdout, fails the test with stderr."""
    r = subprocess.run([str(TSX), *args], cwd=REPO, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        pytest.fail(f"tsx {' '.join(args)} exited {r.returncode}:\n{r.stderr[-3000:]}")
    return r.stdout


def probe(*args: str) -> dict:
    return json.loads(run_ts("tests/pytorch/probe.ts", *args).strip().splitlines()[-1])


def run_trainer(*args: str, nproc: int = 1, env: dict | None = None) -> subprocess.CompletedProcess:
    if nproc == 1:
        command = [sys.executable, "-m", "trainer", *args]
    else:
        command = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc_per_node={nproc}",
            "-m",
            "trainer",
            *args,
        ]
    return subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "OMP_NUM_THREADS": "1", **(env or {})},
    )


@pytest.fixture(scope="session")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data")
    empty = tmp_path_factory.mktemp("no-source")
    run_ts(
        "src/cli/main.ts",
        "dataset",
        "--source",
        str(empty),
        "--generated",
        "240",
        "--vocab-size",
        "300",
        "--out",
        str(out),
        "--seed",
        "3",
    )
    for split in ("train", "val", "test"):
        assert (out / f"{split}.ids.jsonl").stat().st_size > 0
    return out
