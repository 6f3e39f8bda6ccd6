"""CUDA-graph replay of a plan placed entirely on one GPU: the runtime that
the `h200-node-graph` preset models (`run --runtime graph`). The ops are
captured once; each inference copies the inputs into the graph's own input
tensors, replays it and copies the outputs to the CPU."""
from __future__ import annotations

from typing import Any

import torch

from diviml_measure.executor import DeviceError, Executor
from diviml_measure.tosa import run_op


class GraphRunner:
    def __init__(self, ex: Executor, inputs: list[torch.Tensor]) -> None:
        devices = {d for _, d, _ in ex.steps}
        if len(devices) != 1 or next(iter(devices)).type != "cuda":
            where = ", ".join(sorted(str(d) for d in devices)) or "no device"
            raise DeviceError(f"--runtime graph replays a program placed entirely on one GPU; "
                              f"this one runs on {where}")
        self.ex = ex
        self.device = next(iter(devices))
        self.inputs = [x.to(self.device) for x in inputs]
        # Warm-up on a side stream (cuDNN autotuning, allocator pools), as
        # capture requires; then one capture.
        side = torch.cuda.Stream(self.device)
        side.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(side):
            for _ in range(3):
                self._ops()
        torch.cuda.current_stream(self.device).wait_stream(side)
        torch.cuda.synchronize(self.device)
        self.graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(self.graph):
            self.outputs = self._ops()

    def _ops(self) -> list[Any]:
        vals: dict[int, dict[torch.device, Any]] = {
            v: {self.device: x} for v, x in zip(self.ex.plan.inputs, self.inputs)}
        for op, d, infos in self.ex.steps:
            args = [self.ex._arg(vals, v, d) for v in op.operands]
            for r, y in zip(op.results, run_op(op, args, infos)):
                vals[r] = {d: y}
        return [self.ex._arg(vals, v, self.device) for v in self.ex.plan.outputs]

    def run(self, inputs: list[torch.Tensor]) -> list[torch.Tensor]:
        """One inference; the copy of the outputs to the CPU waits for it."""
        for mine, x in zip(self.inputs, inputs):
            mine.copy_(x)
        self.graph.replay()
        return [y.to(torch.device("cpu")) for y in self.outputs]
