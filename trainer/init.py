"""Initial weights by the rules of src/model/net/parameters.ts's initialValues (the values differ: another RNG)."""

from __future__ import annotations

import math
import re

import torch

from .model import NetworkConfig, param_shapes

_LSTM_BIAS = re.compile(r"^(encoder|decoder)\.l\d+(\.fw|\.bw)?\.bias$")


def initial_tensors(c: NetworkConfig, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in param_shapes(c).items():
        if name == "embedding":
            t = torch.rand(shape, generator=g) * 0.2 - 0.1
        elif name.endswith(".recurrent"):
            h = shape[0]  # one orthogonal [h, h] block per gate, side by side
            blocks = []
            for _ in range(4):
                q, r = torch.linalg.qr(torch.randn(h, h, generator=g))
                blocks.append(q * torch.sign(torch.diagonal(r)))
            t = torch.cat(blocks, dim=1)
        elif _LSTM_BIAS.match(name):
            h = shape[0] // 4
            t = torch.zeros(shape)
            t[h : 2 * h] = 1.0  # forget gate bias 1: remember by default
        elif len(shape) == 2:
            limit = math.sqrt(6 / (shape[0] + shape[1]))
            t = (torch.rand(shape, generator=g) * 2 - 1) * limit
        else:
            t = torch.zeros(shape)
        out[name] = t
    return out
