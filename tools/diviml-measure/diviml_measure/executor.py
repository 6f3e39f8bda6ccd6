"""Runs a plan op by op on real devices, the way the shared measurements did
(one host thread, `.to()` copies, each value moved to a device once, outputs
to the CPU, CUDA synchronised at the end), and the stream mode of `run`.
Also maps the plan's device names to PyTorch devices."""
from __future__ import annotations

import queue
import threading
import time
from typing import Any, Optional

import torch

from diviml_measure.plan import Plan, PlanOp, ValueInfo
from diviml_measure.tosa import (SHAPE_KERNELS, check_supported, constant_tensor,
                                 run_op, torch_dtype)


class DeviceError(Exception):
    """A placement naming a device this machine lacks."""


def parse_maps(items: list[str]) -> dict[str, str]:
    maps: dict[str, str] = {}
    for item in items:
        name, sep, target = item.partition("=")
        if not sep or not name or not target:
            raise DeviceError(f"--map takes NAME=DEVICE (e.g. gpu1=cuda:0), not '{item}'")
        maps[name] = target
    return maps


def local_devices() -> list[str]:
    """`cpu` and every `cuda:N` of this machine."""
    return ["cpu"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]


def measure_name(device: str) -> str:
    """The platform device name diviml-measure gives a local device."""
    return "cpu" if device == "cpu" else "gpu" + device.split(":")[1]


def resolve_devices(plan: Plan, maps: dict[str, str]) -> dict[str, torch.device]:
    """Plan device name -> local device. `--map` wins; otherwise a CPU-kind
    device (or one named cpu*) runs on `cpu`, `cuda:N` on itself, and the
    K-th GPU of the platform (or one named gpuK) on `cuda:K`."""
    kinds = plan.device_kinds()
    gpus = [n for n, k in kinds.items() if k == "gpu"]
    available = local_devices()
    resolved: dict[str, torch.device] = {}
    for name in plan.devices():
        kind = kinds.get(name)
        target: Optional[str] = maps.get(name)
        if target is None:
            if kind == "cpu" or (kind is None and name.startswith("cpu")):
                target = "cpu"
            elif name.startswith("cuda:"):
                target = name
            elif name in gpus:
                target = f"cuda:{gpus.index(name)}"
            elif name.startswith("gpu") and name[3:].isdigit():
                target = f"cuda:{name[3:]}"
        if target is None:
            raise DeviceError(f"the placement names device '{name}' (kind {kind or 'unknown'}) "
                              f"that has no local counterpart; map it, e.g. --map {name}=cpu")
        if target not in available:
            raise DeviceError(f"the placement names device '{name}', which would run on "
                              f"'{target}', but this machine has only {', '.join(available)}; "
                              f"map it, e.g. --map {name}=cpu")
        resolved[name] = torch.device(target)
    return resolved


def sync(devices: set[torch.device]) -> None:
    for d in devices:
        if d.type == "cuda":
            torch.cuda.synchronize(d)


class Executor:
    """A plan bound to local devices. Constants are materialised on every
    device that uses them and shape values computed once, before any timing."""

    def __init__(self, plan: Plan, device_of: dict[str, torch.device],
                 default: torch.device = torch.device("cpu")) -> None:
        self.plan = plan
        self.home = torch.device("cpu")
        infos = plan.values
        self.shapes: dict[int, list[int]] = {}
        self.constants: dict[int, PlanOp] = {}
        self.steps: list[tuple[PlanOp, torch.device, list[ValueInfo]]] = []
        for op in plan.ops:
            check_supported(op)
            if op.constant is not None:
                for r in op.results:
                    if infos[r].kind == "shape":
                        self.shapes[r] = constant_tensor(op, infos[r], "cpu")
                    else:
                        self.constants[r] = op
            elif op.op in SHAPE_KERNELS:
                args = [self.shapes.get(v) for v in op.operands]
                self.shapes[op.results[0]] = SHAPE_KERNELS[op.op](op, args, infos)
            else:
                device = device_of[op.device] if op.device is not None else default
                self.steps.append((op, device, [infos[r] for r in op.results]))
        self.devices = {d for _, d, _ in self.steps} | {self.home}
        self.cvals: dict[tuple[int, torch.device], torch.Tensor] = {}
        for op, device, _ in self.steps:
            for v in op.operands:
                if v in self.constants and (v, device) not in self.cvals:
                    self.cvals[(v, device)] = constant_tensor(self.constants[v], infos[v], device)
        for v in plan.outputs:
            if v in self.constants:
                self.cvals[(v, self.home)] = constant_tensor(self.constants[v], infos[v], self.home)

    def index_bounds(self) -> dict[int, int]:
        """Upper bounds of values used as gather/scatter indices, carried back
        through views and casts to the inputs."""
        bounds: dict[int, int] = {}
        infos = self.plan.values
        passthrough = {"tosa.reshape", "tosa.identity", "tosa.transpose", "tosa.cast",
                       "tosa.slice", "tosa.concat", "tosa.tile", "tosa.reverse"}
        for op in reversed(self.plan.ops):
            if op.op in ("tosa.gather", "tosa.scatter") and len(op.operands) > 1:
                k = infos[op.operands[0]].shape[1]
                v = op.operands[1]
                bounds[v] = min(bounds.get(v, k), k)
            elif op.op in passthrough:
                b = min((bounds[r] for r in op.results if r in bounds), default=None)
                if b is not None:
                    for v in op.operands:
                        bounds[v] = min(bounds.get(v, b), b)
        return bounds

    def make_inputs(self, seed: int = 0) -> list[torch.Tensor]:
        """Random inputs on the CPU: floats in [0, 1), integers in [0, 8) or
        below the size of the table they index, booleans either."""
        gen = torch.Generator().manual_seed(seed)
        bounds = self.index_bounds()
        inputs = []
        for v in self.plan.inputs:
            info = self.plan.values[v]
            dtype = torch_dtype(info.element, f" (function input {v})")
            if dtype.is_floating_point:
                x = torch.rand(info.shape, generator=gen).to(dtype)
            elif dtype == torch.bool:
                x = torch.randint(0, 2, info.shape, generator=gen).bool()
            else:
                x = torch.randint(0, min(8, bounds.get(v, 8)), info.shape, generator=gen).to(dtype)
            inputs.append(x)
        return inputs

    def _arg(self, vals: dict[int, dict[torch.device, Any]], v: int, d: torch.device) -> Any:
        if v in self.shapes:
            return self.shapes[v]
        c = self.cvals.get((v, d))
        if c is not None:
            return c
        have = vals[v]
        x = have.get(d)
        if x is None:  # moved once per destination device
            x = next(iter(have.values())).to(d)
            have[d] = x
        return x

    def run(self, inputs: list[torch.Tensor]) -> list[torch.Tensor]:
        """One inference; the outputs on the CPU (a copy to the CPU waits for
        the GPU); every device synchronised before returning."""
        vals: dict[int, dict[torch.device, Any]] = {}
        for v, x in zip(self.plan.inputs, inputs):
            vals[v] = {x.device: x}
        for op, d, infos in self.steps:
            args = [self._arg(vals, v, d) for v in op.operands]
            for r, y in zip(op.results, run_op(op, args, infos)):
                vals[r] = {d: y}
        out = [self._arg(vals, v, self.home) for v in self.plan.outputs]
        sync(self.devices)
        return out

    def run_stream(self, inputs: list[torch.Tensor], samples: int, in_flight: int) -> float:
        """Runs `samples` inferences as a stream: one worker thread per device,
        each running its ops in program order, sample after sample; values
        needed on another device are copied by the producer and queued there.
        At most `in_flight` samples are started and not finished. Returns the
        wall time of the whole stream."""
        devices = sorted({d for _, d, _ in self.steps}, key=str)
        inboxes: dict[torch.device, queue.Queue] = {d: queue.Queue() for d in devices}
        outbox: queue.Queue = queue.Queue()
        consumers: dict[int, set[torch.device]] = {}
        for op, d, _ in self.steps:
            for v in op.operands:
                consumers.setdefault(v, set()).add(d)
        outputs = set(self.plan.outputs)
        producer: dict[int, torch.device] = {}
        for op, d, _ in self.steps:
            for r in op.results:
                producer[r] = d
        done = threading.Condition()
        finished = [0]
        failure: list[BaseException] = []
        per_sample_outputs = {v for v in self.plan.outputs if v in producer}

        def deliver(s: int, v: int, x: Any, d: torch.device) -> None:
            for e in consumers.get(v, ()):
                if e != d:
                    inboxes[e].put((s, v, x.to(e)))
            if v in outputs:
                outbox.put((s, v, x.to(self.home)))

        def worker(d: torch.device) -> None:
            try:
                mine = [(op, infos) for op, e, infos in self.steps if e == d]
                local: dict[tuple[int, int], Any] = {}
                for s in range(samples):
                    with done:
                        while finished[0] < s - in_flight + 1 and not failure:
                            done.wait(0.1)
                    for v, x in zip(self.plan.inputs, inputs):
                        if d in consumers.get(v, ()):
                            local[(s, v)] = x.to(d)
                    for op, infos in mine:
                        args = []
                        for v in op.operands:
                            if v in self.shapes:
                                args.append(self.shapes[v])
                            elif (v, d) in self.cvals:
                                args.append(self.cvals[(v, d)])
                            else:
                                while (s, v) not in local:
                                    if failure:
                                        return
                                    try:
                                        t, u, x = inboxes[d].get(timeout=0.1)
                                        local[(t, u)] = x
                                    except queue.Empty:
                                        pass
                                args.append(local[(s, v)])
                        for r, y in zip(op.results, run_op(op, args, infos)):
                            local[(s, r)] = y
                            deliver(s, r, y, d)
                    for key in [k for k in local if k[0] == s]:
                        del local[key]
            except BaseException as e:  # reported by the main thread
                failure.append(e)

        threads = [threading.Thread(target=worker, args=(d,), daemon=True) for d in devices]
        start = time.perf_counter()
        for t in threads:
            t.start()
        received: dict[int, int] = {}
        complete = 0
        while complete < samples:
            if failure:
                raise failure[0]
            try:
                s, _, _ = outbox.get(timeout=0.1)
            except queue.Empty:
                if not any(t.is_alive() for t in threads) and not failure:
                    raise RuntimeError("stream workers stopped before finishing")
                continue
            received[s] = received.get(s, 0) + 1
            if received[s] == len(per_sample_outputs):
                complete += 1
                with done:
                    finished[0] += 1
                    done.notify_all()
        elapsed = time.perf_counter() - start
        for t in threads:
            t.join()
        if failure:
            raise failure[0]
        sync(self.devices)
        return elapsed


def max_relative_difference(outputs: list[torch.Tensor], reference: list[torch.Tensor]) -> float:
    """max |a - b| / max |b| over all outputs (0 when both are zero)."""
    worst = 0.0
    for a, b in zip(outputs, reference):
        a64, b64 = a.to(torch.float64), b.to(torch.float64)
        scale = float(b64.abs().max()) if b64.numel() else 0.0
        diff = float((a64 - b64).abs().max()) if b64.numel() else 0.0
        if diff > 0:
            worst = max(worst, diff / scale if scale > 0 else float("inf"))
    return worst
