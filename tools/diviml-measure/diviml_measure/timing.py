"""Timing primitives, as in the shared measurements: warm-up calls, a first
call that sizes the repetitions to a time budget, then medians (CPU: wall
time of each call; CUDA: calls back to back in one stream between two
events, plus each call alone with the host waiting)."""
from __future__ import annotations

import statistics
import time
from typing import Any, Callable, Optional

import torch


def configure_torch(threads: Optional[int], flush_denormal: bool) -> None:
    """The settings of the shared measurements: cuDNN autotuning on, TF32
    off; CPU threads and subnormal flushing as asked."""
    if threads:
        torch.set_num_threads(threads)
    torch.set_flush_denormal(flush_denormal)
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def time_cpu(fn: Callable[[], Any], budget: float, min_reps: int = 3,
             max_reps: int = 50) -> dict[str, float]:
    fn()
    start = time.perf_counter()
    fn()
    one = time.perf_counter() - start
    reps = max(min_reps, min(max_reps, int(budget / max(one, 1e-6))))
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "min": min(times), "reps": reps}


def time_cuda(fn: Callable[[], Any], device: torch.device, budget: float,
              min_reps: int = 5, max_reps: int = 200) -> dict[str, float]:
    """`stream`: seconds per call back to back in one stream (launch overhead
    amortised by the queue); `isolated`: one call with the host waiting (what
    a dependent op on another device sees); `dispatch`: host seconds to issue
    one call without waiting."""
    with torch.cuda.device(device):
        for _ in range(3):
            fn()
        torch.cuda.synchronize()
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        one = time.perf_counter() - start
        reps = max(min_reps, min(max_reps, int(budget / max(one, 1e-6))))
        begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        begin.record()
        host = time.perf_counter()
        for _ in range(reps):
            fn()
        host = time.perf_counter() - host
        end.record()
        torch.cuda.synchronize()
        stream = begin.elapsed_time(end) / 1e3 / reps
        isolated = []
        for _ in range(min(reps, 30)):
            start = time.perf_counter()
            fn()
            torch.cuda.synchronize()
            isolated.append(time.perf_counter() - start)
    return {"stream": stream, "isolated": statistics.median(isolated),
            "dispatch": host / reps, "reps": reps}


def time_cuda_graph(fn: Callable[[], Any], device: torch.device, calls: int,
                    replays: int = 10) -> float:
    """Seconds per call of `fn` when `calls` of them are captured in one
    CUDA graph and replayed (median of `replays`): what an op costs the GPU
    when no host issues it."""
    with torch.cuda.device(device):
        side = torch.cuda.Stream(device)
        side.wait_stream(torch.cuda.current_stream(device))
        with torch.cuda.stream(side):
            for _ in range(3):
                fn()
        torch.cuda.current_stream(device).wait_stream(side)
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            for _ in range(calls):
                fn()
        graph.replay()
        torch.cuda.synchronize()
        begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        times = []
        for _ in range(replays):
            begin.record()
            graph.replay()
            end.record()
            torch.cuda.synchronize()
            times.append(begin.elapsed_time(end) / 1e3 / calls)
    return statistics.median(times)


def time_op(fn: Callable[[], Any], device: torch.device, budget: float,
            runtime: str = "eager") -> dict[str, float]:
    """The profile time of one op on `device` under `seconds`, with details.
    With `runtime` graph, a GPU op's time is its time in a replayed CUDA
    graph (`graph`; the eager figures stay beside it); an op that cannot be
    captured keeps its stream time and says so (`graph_error`)."""
    if device.type == "cuda":
        r: dict[str, Any] = time_cuda(fn, device, budget)
        r["seconds"] = r["stream"]
        if runtime == "graph":
            try:
                r["graph"] = time_cuda_graph(fn, device, max(1, min(r["reps"], 50)))
                r["seconds"] = r["graph"]
            except RuntimeError as e:
                torch.cuda.synchronize(device)
                r["graph_error"] = str(e).splitlines()[0][:200]
    else:
        r = time_cpu(fn, budget)
        r["seconds"] = r["median"]
    return r
