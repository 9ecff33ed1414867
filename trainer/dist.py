"""One process or many under torchrun: rank, world size, device, and the few collectives the loop uses."""

from __future__ import annotations

import os
import sys

import torch
import torch.distributed as dist


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
