"""What limits a PyTorch training step, and its floor: the PyTorch side of src/bench/bench-profile.ts
and src/bench/bench-floor.ts (docs/kernels-and-bench.md#the-floor). `profile_work` runs a piece of
work under torch.profiler (CPU, input shapes recorded) and summarizes it as the TypeScript bench's
WorkProfile: ops run, self CPU time, the share in matrix multiplies (oneDNN's fused LSTM layers
counted with them: their time is mostly products), the heaviest ops and the matmuls by shape. `measure_floor` times each of those matmul shapes alone, with the same op on the
same threads, and adds them up by how often the step runs it: a step at its floor would spend
nothing outside its multiplies."""

from __future__ import annotations

import math
import statistics
import time
from collections import defaultdict
from collections.abc import Callable

import torch
from torch.profiler import ProfilerActivity, profile

# The ops that do a step's matrix multiplies on the CPU (nn.Linear, `@` and their gradients end in
# these; aten::matmul and aten::linear only reshape and call them, so they are not counted twice).
MATMUL_OPS = ("aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm")
# oneDNN's fused LSTM layer (nn.LSTM on the CPU), forward and backward: matmuls and gates in one op.
# Its matmuls are not seen apart, so the floor counts the products it must do (rnn_layer_matmuls).
RNN_OPS = ("aten::mkldnn_rnn_layer", "aten::mkldnn_rnn_layer_backward")
MIN_MEASURED_MS = 20.0  # as bench-stats.ts: below this a timing is mostly the clock's jitter
MAX_REPEATS = 100_000
REPEATS = 5  # timed loops per shape, after the one that sets the count: their median
TOP_OPS = 5  # the ops listed per unit of work, as bench-profile.ts lists its kernels
HEAVIEST = 8  # op and input-shape pairs listed


def _operands(name: str, shapes: list[list[int]]) -> tuple[list[int], list[int]] | None:
    """The two multiplied operands' shapes of a matmul op's recorded inputs (addmm and baddbmm
    take the added tensor first), or None when the shapes are not a product's."""
    a, b = (shapes[1], shapes[2]) if name in ("aten::addmm", "aten::baddbmm") else (shapes[0], shapes[1])
    rank = 2 if name in ("aten::mm", "aten::addmm") else 3
    if len(a) != rank or len(b) != rank or a[-1] != b[-2] or a[:-2] != b[:-2]:
        return None
    return a, b


def matmul_flops(a: list[int], b: list[int]) -> int:
    """2·m·n·k per product in the batch, as bench-floor.ts's matmulFlops."""
    return 2 * math.prod(a) * b[-1]


def rnn_layer_matmuls(name: str, shapes: list[list[int]]) -> list[tuple[list[int], list[int], int]]:
    """The products one fused LSTM layer does, as (a, b, count): its inputs start with the sequence
    [S, B, in] and the weights [4h, in] and [4h, h]. Forward: every step's input projection in one
    product, then one recurrent product a step; backward: the input's gradient and the two weight
    gradients over all steps, and the recurrent gradient a step."""
    (S, B, n_in), (four_h, _), (_, h) = shapes[0], shapes[1], shapes[2]
    if name == "aten::mkldnn_rnn_layer":
        return [([S * B, n_in], [n_in, four_h], 1), ([B, h], [h, four_h], S)]
    return [
        ([S * B, four_h], [four_h, n_in], 1),
        ([n_in, S * B], [S * B, four_h], 1),
        ([h, S * B], [S * B, four_h], 1),
        ([B, four_h], [four_h, h], S),
    ]


def _matmul_shapes(events) -> list[dict]:
    """The matmuls run, by op and shapes, with their count: {op, a, b, out, count} (a, b, out as
    bench-table.ts's MatmulShape); a fused LSTM layer's as the aten::mm products it stands for."""
    out = []
    for e in events:
        if e.key in RNN_OPS:
            for a, b, count in rnn_layer_matmuls(e.key, e.input_shapes):
                out.append({"op": "aten::mm", "a": a, "b": b, "out": [a[0], b[1]], "count": e.count * count})
            continue
        if e.key not in MATMUL_OPS:
            continue
        operands = _operands(e.key, e.input_shapes)
        if operands is None:
            continue
        a, b = operands
        out.append({"op": e.key, "a": a, "b": b, "out": [*a[:-1], b[-1]], "count": e.count})
    return out


def profile_work(work: Callable[[], None], units: int) -> dict:
    """Runs `work` once under the profiler; the WorkProfile of one unit of it (`units` per run)."""
    activities = [ProfilerActivity.CPU]
    started = time.perf_counter()
    with profile(activities=activities, record_shapes=True) as prof:
        work()
    wall_ms = (time.perf_counter() - started) * 1000
    by_name = prof.key_averages()
    by_shape = prof.key_averages(group_by_input_shape=True)
    total_us = sum(e.self_cpu_time_total for e in by_name)
    matmul_us = sum(e.self_cpu_time_total for e in by_name if e.key in MATMUL_OPS + RNN_OPS)
    top = sorted(by_name, key=lambda e: -e.self_cpu_time_total)[:TOP_OPS]
    heaviest = sorted(by_shape, key=lambda e: -e.self_cpu_time_total)[:HEAVIEST]
    matmuls = _matmul_shapes(by_shape)
    for m in matmuls:
        m["count"] /= units
    return {
        "kernels": sum(e.count for e in by_name) / units,
        "dispatches": None,
        "readbacks": 0,
        "bytesReadBack": 0,
        "wallMs": wall_ms / units,
        "kernelMs": total_us / 1000 / units,
        "matmulMs": matmul_us / 1000 / units,
        "top": [{"name": e.key, "ms": e.self_cpu_time_total / 1000 / units, "count": e.count / units} for e in top],
        "heaviest": [
            {
                "name": e.key,
                "shapes": " ".join("x".join(map(str, s)) for s in e.input_shapes if s),  # scalars left out
                "ms": e.self_cpu_time_total / 1000 / units,
                "count": e.count / units,
            }
            for e in heaviest
        ],
        "matmuls": matmuls,
    }


def _time_per_call(work: Callable[[], object], min_ms: float, repeats: int = REPEATS) -> float:
    """Milliseconds per call: the count doubles until a loop lasts min_ms (bench-stats.ts's
    timePerCall), then `repeats` loops of that count give the median. Not the calibrating loop
    itself: on a loaded machine the loop a preemption lands in is the one that stops the doubling,
    with few calls, and its per-call time would be the preemption's."""
    calls = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            work()
        if (time.perf_counter() - t0) * 1000 >= min_ms or calls >= MAX_REPEATS:
            break
        calls *= 2
    per_call = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            work()
        per_call.append((time.perf_counter() - t0) * 1000 / calls)
    return statistics.median(per_call)


def _shape_work(m: dict) -> Callable[[], object]:
    """The matmul `m` with the op the step used, on fresh operands of its shapes."""
    a = torch.randn(m["a"])
    b = torch.randn(m["b"])
    added = torch.randn(m["out"])
    op = m["op"]
    if op == "aten::mm":
        return lambda: torch.mm(a, b)
    if op == "aten::addmm":
        return lambda: torch.addmm(added, a, b)
    if op == "aten::bmm":
        return lambda: torch.bmm(a, b)
    return lambda: torch.baddbmm(added, a, b)


def measure_floor(matmuls: list[dict], min_ms: float = MIN_MEASURED_MS) -> dict:
    """bench-table.ts's Floor: each shape timed alone (_time_per_call), times its count, added up;
    the FLOPs of the same products and the rate they reached (float32, as the step runs)."""
    counts: dict[tuple, float] = defaultdict(float)
    for m in matmuls:
        counts[(m["op"], tuple(m["a"]), tuple(m["b"]))] += m["count"]
    floor_ms = 0.0
    flops = 0.0
    with torch.no_grad():
        for (op, a, b), count in counts.items():
            m = {"op": op, "a": list(a), "b": list(b), "out": [*a[:-1], b[-1]]}
            floor_ms += count * _time_per_call(_shape_work(m), min_ms)
            flops += count * matmul_flops(list(a), list(b))
    return {
        "floorMs": floor_ms,
        "gflop": flops / 1e9,
        "gflopsPerSecond": flops / 1e6 / floor_ms if floor_ms > 0 else math.nan,
    }
