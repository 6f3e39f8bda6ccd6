"""`diviml-measure profile`: times every distinct op signature of a module on
each local device, plus host dispatch per kernel, host<->GPU copies and peak
figures; writes the project's profile table and, with --platform-out, a
platform JSON calibrated from them by diviml-calibrate (docs/measure.md)."""
from __future__ import annotations

import argparse
import json
import os
import platform as host_platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import torch

from diviml_measure.executor import Executor, local_devices, measure_name
from diviml_measure.plan import Plan, PlanOp, find_tool, load_plan
from diviml_measure.progress import Progress
from diviml_measure.timing import configure_torch, time_cpu, time_cuda, time_cuda_graph, time_op
from diviml_measure.tosa import FREE_OPS, constant_tensor, run_op, torch_dtype

DEFAULT_COPY_SIZES = [4 << 10, 64 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("module", help="MLIR module (or a plan .json from diviml-translate --export-plan)")
    p.add_argument("-o", "--output", required=True, help="profile table to write (JSON)")
    p.add_argument("--platform-out",
                   help="also write a platform JSON calibrated from the measurements (diviml-calibrate)")
    p.add_argument("--platform-name", default=None, help="name of that platform (default: host name)")
    p.add_argument("--devices", default=None,
                   help="comma-separated local devices to profile (default: cpu and every cuda:N)")
    p.add_argument("--budget", type=float, default=0.05, help="seconds of timing per op and device")
    p.add_argument("--threads", type=int, default=None, help="CPU threads (torch.set_num_threads)")
    p.add_argument("--values", choices=["random", "program"], default="random",
                   help="operand values of the timed ops: random activations, one op per signature "
                        "(default), or the values one run of the program computes, every op timed and "
                        "its signature given the mean (catches data-dependent costs such as subnormal "
                        "floats on the CPU)")
    p.add_argument("--seed", type=int, default=0, help="seed of the program's random inputs (--values program)")
    p.add_argument("--runtime", choices=["eager", "graph"], default="eager",
                   help="GPU op times: back to back in a stream (eager, default) or replayed in a CUDA "
                        "graph (graph: for a runtime that replays graphs, e.g. the h200-node-graph preset)")
    p.add_argument("--flush-denormal", action="store_true",
                   help="the CPU treats subnormal floats as zero (torch.set_flush_denormal)")
    p.add_argument("--copy-sizes", default=None,
                   help="comma-separated byte counts of the copy sweep (default 4 KiB .. 64 MiB)")
    p.add_argument("--peak-size", type=int, default=2048,
                   help="matrix size of the CPU matmul peak (GPU: 4x); copy peaks use 16x its square in floats")
    p.add_argument("--progress", choices=["auto", "on", "off"], default="auto")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")


def signature_key(op: PlanOp) -> str:
    """What the profile table matches an op by: op, operand types, result
    types, attributes."""
    return json.dumps([op.op, op.operand_types, op.result_types, sorted(op.attributes.items())])


def runs_kernel(op: PlanOp) -> bool:
    return op.constant is None and op.op not in FREE_OPS


def signatures(plan: Plan) -> list[tuple[PlanOp, int]]:
    """The first op of every distinct signature that runs a kernel, with how
    many ops share it."""
    seen: dict[str, list[Any]] = {}
    for op in plan.ops:
        if not runs_kernel(op):
            continue
        key = signature_key(op)
        if key in seen:
            seen[key][1] += 1
        else:
            seen[key] = [op, 1]
    return [(op, n) for op, n in seen.values()]


def op_closure(ex: Executor, op: PlanOp, device: torch.device, bounds: dict[int, int]):
    """A call that runs `op` once on `device`: constant and shape operands
    are the module's, activations are random (indices within their table)."""
    gen = torch.Generator().manual_seed(0)
    args: list[Any] = []
    infos = ex.plan.values
    for i, v in enumerate(op.operands):
        if v in ex.shapes:
            args.append(ex.shapes[v])
        elif v in ex.constants:
            args.append(constant_tensor(ex.constants[v], infos[v], device))
        else:
            info = infos[v]
            dtype = torch_dtype(info.element)
            if op.op in ("tosa.gather", "tosa.scatter") and i == 1:
                k = infos[op.operands[0]].shape[1]
                x = torch.randint(0, k, info.shape, generator=gen).to(dtype)
            elif dtype.is_floating_point:
                x = torch.rand(info.shape, generator=gen).to(dtype)
            elif dtype == torch.bool:
                x = torch.randint(0, 2, info.shape, generator=gen).bool()
            else:
                x = torch.randint(1, 8, info.shape, generator=gen).to(dtype)
            args.append(x.to(device))
    results = [infos[r] for r in op.results]
    return lambda: run_op(op, args, results)


# Per float type: the integer type of its bits, the exponent and the
# mantissa masks. A subnormal has exponent bits 0 and a mantissa other than
# 0; read from the bits, so that a CPU flushing subnormals does not hide them.
SUBNORMAL_BITS = {
    torch.float16: (torch.int16, 0x7C00, 0x03FF),
    torch.bfloat16: (torch.int16, 0x7F80, 0x007F),
    torch.float32: (torch.int32, 0x7F800000, 0x007FFFFF),
    torch.float64: (torch.int64, 0x7FF0000000000000, 0x000FFFFFFFFFFFFF),
}


def subnormal_fraction(args: list[Any]) -> float:
    """The fraction of the floating-point elements of `args` that are
    subnormal (CPUs compute on them many times slower)."""
    total = subnormal = 0
    for a in args:
        if not isinstance(a, torch.Tensor) or a.dtype not in SUBNORMAL_BITS or not a.numel():
            continue
        int_type, exponent, mantissa = SUBNORMAL_BITS[a.dtype]
        bits = a.contiguous().view(int_type)
        subnormal += int(((bits & exponent) == 0).logical_and_((bits & mantissa) != 0).sum())
        total += a.numel()
    return subnormal / total if total else 0.0


def last_uses(ex: Executor) -> dict[int, int]:
    """Value -> index of the last step that reads it."""
    last: dict[int, int] = {}
    for i, (op, _, _) in enumerate(ex.steps):
        for v in op.operands:
            last[v] = i
    return last


def time_program_values(ex: Executor, devices: list[torch.device], budget: float, seed: int,
                        bar: Progress, runtime: str) -> dict[str, dict[str, Any]]:
    """Runs the program once on the CPU and times every kernel op, on each
    device, with the operand values that run gives it. Signature key ->
    {"count", "times" (device -> summed seconds), "ops" (per-op details)}."""
    home = torch.device("cpu")
    infos = ex.plan.values
    vals: dict[int, dict[torch.device, Any]] = {
        v: {home: x} for v, x in zip(ex.plan.inputs, ex.make_inputs(seed))}
    last = last_uses(ex)
    keep = set(ex.plan.outputs)
    constants: dict[tuple[int, torch.device], torch.Tensor] = {}
    out: dict[str, dict[str, Any]] = {}
    for i, (op, _, results) in enumerate(ex.steps):
        args = [ex._arg(vals, v, home) for v in op.operands]
        if runs_kernel(op):
            sig = out.setdefault(signature_key(op), {"count": 0, "times": {}, "ops": []})
            sig["count"] += 1
            detail: dict[str, Any] = {"name": op.name, "subnormal": subnormal_fraction(args), "devices": {}}
            for d in devices:
                dargs = []
                for v, a in zip(op.operands, args):
                    if v in ex.constants:
                        if (v, d) not in constants:
                            constants[(v, d)] = constant_tensor(ex.constants[v], infos[v], d)
                        dargs.append(constants[(v, d)])
                    else:
                        dargs.append(a.to(d) if isinstance(a, torch.Tensor) else a)
                r = time_op(lambda: run_op(op, dargs, results), d, budget, runtime)
                name = measure_name(str(d))
                sig["times"][name] = sig["times"].get(name, 0.0) + r["seconds"]
                detail["devices"][name] = r
                bar.step(f"{op.name} on {d}")
            sig["ops"].append(detail)
        for r, y in zip(op.results, run_op(op, args, results)):
            vals[r] = {home: y}
        for v in op.operands:
            if last.get(v) == i and v not in keep:
                vals.pop(v, None)
    return out


def measure_dispatch(device: torch.device, budget: float, runtime: str = "eager") -> dict[str, float]:
    """Per-kernel cost of the smallest op (an add on one element); on a GPU
    with `runtime` graph also its time in a replayed CUDA graph (`graph`)."""
    x = torch.zeros(1, device=device)
    if device.type == "cuda":
        r: dict[str, float] = time_cuda(lambda: x.add_(1.0), device, max(budget, 0.05), max_reps=500)
        if runtime == "graph":
            r["graph"] = time_cuda_graph(lambda: x.add_(1.0), device, 500)
        return r
    r = time_cpu(lambda: x.add_(1.0), max(budget, 0.05), max_reps=500)
    return {"seconds": r["median"], "min": r["min"], "reps": r["reps"]}


def measure_copies(device: torch.device, sizes: list[int]) -> list[dict[str, Any]]:
    """Host<->device copies, pinned and pageable, each direction: median of
    10 with the host waiting."""
    table = []
    for size in sizes:
        n = max(1, size // 4)
        for pinned in (True, False):
            host = torch.empty(n, dtype=torch.float32, pin_memory=pinned)
            dev = torch.empty(n, dtype=torch.float32, device=device)
            for direction, fn in (("h2d", lambda: dev.copy_(host, non_blocking=pinned)),
                                  ("d2h", lambda: host.copy_(dev, non_blocking=pinned))):
                for _ in range(3):
                    fn()
                torch.cuda.synchronize(device)
                times = []
                for _ in range(10):
                    start = time.perf_counter()
                    fn()
                    torch.cuda.synchronize(device)
                    times.append(time.perf_counter() - start)
                table.append({"bytes": 4 * n, "pinned": pinned, "direction": direction,
                              "seconds": statistics.median(times)})
    return table


def fit_link(table: list[dict[str, Any]], direction: str, pinned: bool) -> dict[str, float]:
    """latency + bytes / bandwidth, least squares over the sweep."""
    pts = [(r["bytes"], r["seconds"]) for r in table
           if r["direction"] == direction and r["pinned"] == pinned]
    n = len(pts)
    mx = sum(b for b, _ in pts) / n
    my = sum(s for _, s in pts) / n
    var = sum((b - mx) ** 2 for b, _ in pts)
    slope = sum((b - mx) * (s - my) for b, s in pts) / var if var > 0 else 0.0
    if slope <= 0:
        slope = max(s / b for b, s in pts)
    latency = max(0.0, my - slope * mx)
    return {"bandwidth": 1.0 / slope, "latency": latency}


def measure_peaks(device: torch.device, size: int, budget: float) -> dict[str, float]:
    out: dict[str, float] = {}
    if device.type == "cuda":
        n = 4 * size
        for name, dtype in (("f32", torch.float32), ("f16", torch.float16)):
            torch.backends.cuda.matmul.allow_tf32 = False
            a = torch.rand(n, n, dtype=dtype, device=device)
            b = torch.rand(n, n, dtype=dtype, device=device)
            r = time_cuda(lambda: a @ b, device, max(budget, 0.5))
            out[f"matmul_{name}_flops"] = 2 * n ** 3 / r["stream"]
        x = torch.empty(16 * n * n, dtype=torch.float32, device=device)
        y = torch.empty_like(x)
        r = time_cuda(lambda: y.copy_(x), device, max(budget, 0.5))
        out["copy_bytes_per_s"] = 2 * x.numel() * 4 / r["stream"]
        out["memory_bytes"] = float(torch.cuda.get_device_properties(device).total_memory)
    else:
        a, b = torch.rand(size, size), torch.rand(size, size)
        r = time_cpu(lambda: a @ b, max(budget, 0.5))
        out["matmul_f32_flops"] = 2 * size ** 3 / r["median"]
        x = torch.rand(4 * size * size)
        y = torch.empty_like(x)
        r = time_cpu(lambda: y.copy_(x), max(budget, 0.5))
        out["copy_bytes_per_s"] = 2 * x.numel() * 4 / r["median"]
        try:
            with open("/proc/meminfo") as f:
                kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
            out["memory_bytes"] = kb * 1024.0
        except (OSError, StopIteration):
            pass
    return out


def platform_json(name: str, devices: list[torch.device], peaks: dict[str, dict[str, float]],
                  dispatch: dict[str, dict[str, float]], links: dict[str, dict[str, dict[str, float]]],
                  runtime: str = "eager") -> dict[str, Any]:
    """The base platform (docs/formats.md) from the measured figures: peaks,
    launch, host links, and the runtime that `run` is (one host thread
    issuing every op, CPU ops on it, blocking pageable copies), with each
    GPU's measured dispatch; under graph replay the host issues no GPU op
    and a GPU's launch is a replayed kernel's. diviml-calibrate then fits
    the curves and the links to the profile and the copy sweep."""
    graph = runtime == "graph"
    out: dict[str, Any] = {"name": name, "host": "cpu", "devices": [], "links": [],
                           "runtime": {"flavour": runtime, "host_threads": 1,
                                       "host_ops_on_dispatch_thread": True}}
    for d in devices:
        n = measure_name(str(d))
        pk = peaks[n]
        entry: dict[str, Any] = {"name": n, "kind": "cpu" if d.type == "cpu" else "gpu"}
        if d.type == "cuda":
            entry["peak_flops"] = pk["matmul_f32_flops"]
            entry["peak_f16"] = pk["matmul_f16_flops"]
            entry["launch"] = dispatch[n]["graph"] if graph else dispatch[n]["stream"]
            entry["dispatch"] = 0.0 if graph else dispatch[n].get("dispatch", dispatch[n]["stream"])
        else:
            entry["peak_flops"] = pk["matmul_f32_flops"]
            entry["launch"] = dispatch[n]["seconds"]
            # A CPU op's profiled time already holds its dispatch: it runs on
            # the issuing thread, which pays nothing more for it.
        entry["bandwidth"] = pk["copy_bytes_per_s"]
        if "memory_bytes" in pk:
            entry["memory"] = pk["memory_bytes"]
        out["devices"].append(entry)
    if "cpu" not in [e["name"] for e in out["devices"]]:
        del out["host"]
        del out["runtime"]
    for n, fits in links.items():
        # `run` copies with .to() from pageable memory, and .to() blocks.
        for source, target, direction in (("cpu", n, "h2d"), (n, "cpu", "d2h")):
            pinned, pageable = fits[direction + "_pinned"], fits[direction + "_pageable"]
            out["links"].append({"from": source, "to": target, **pinned,
                                 "pageable_bandwidth": pageable["bandwidth"],
                                 "pageable_latency": pageable["latency"],
                                 "host_memory": "pageable", "synchronous": True})
    return out


def calibrate(base: dict[str, Any], profile: str, copies: dict[str, list[dict[str, Any]]],
              output: str) -> None:
    """Writes `output`: `base` with the efficiency curves fitted to `profile`
    and the links to the copy sweep, by diviml-calibrate."""
    with tempfile.TemporaryDirectory() as tmp:
        base_path = os.path.join(tmp, "base.json")
        with open(base_path, "w") as f:
            json.dump(base, f)
        command = [find_tool("diviml-calibrate"), f"--platform={base_path}",
                   f"--profile={profile}", "-o", output]
        rows = [{"bytes": r["bytes"], "pinned": r["pinned"], "dir": r["direction"],
                 "seconds": r["seconds"]} for table in copies.values() for r in table]
        # The copy table names no device: one GPU's sweep fits every host link.
        if rows and len(copies) == 1:
            copies_path = os.path.join(tmp, "copies.json")
            with open(copies_path, "w") as f:
                json.dump(rows, f)
            command.append(f"--copies={copies_path}")
        proc = subprocess.run(command, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit("diviml-measure: error: diviml-calibrate failed:\n" + proc.stderr.strip())


def main(args: argparse.Namespace) -> int:
    plan = load_plan(args.module, args.translate)
    configure_torch(args.threads, args.flush_denormal)
    names = args.devices.split(",") if args.devices else local_devices()
    available = local_devices()
    for n in names:
        if n not in available:
            raise SystemExit(f"diviml-measure: error: no local device '{n}' (have {', '.join(available)})")
    devices = [torch.device(n) for n in names]
    sizes = ([int(s) for s in args.copy_sizes.split(",")] if args.copy_sizes else DEFAULT_COPY_SIZES)

    # Checks every op is supported; a placed module is profiled as if unplaced.
    ex = Executor(plan, {name: torch.device("cpu") for name in plan.devices()})
    sigs = signatures(plan)
    bounds = ex.index_bounds()
    show = args.progress == "on" or (args.progress == "auto" and sys.stderr.isatty())
    program = args.values == "program"
    steps = sum(c for _, c in sigs) if program else len(sigs)
    bar = Progress(steps * len(devices), show)
    entries, details = [], []
    start = time.perf_counter()
    measured = (time_program_values(ex, devices, args.budget, args.seed, bar, args.runtime)
                if program else {})
    subnormal = [0.0, 0]
    for op, count in sigs:
        times: dict[str, float] = {}
        detail: dict[str, Any] = {"op": op.op, "example": op.name, "count": count}
        if program:
            sig = measured[signature_key(op)]
            times = {n: t / sig["count"] for n, t in sig["times"].items()}
            detail["ops"] = sig["ops"]
            how = (f"the mean of its {count} op(s), each timed with the values of one run of the "
                   f"program (seed {args.seed})")
            for o in sig["ops"]:
                subnormal[0] += o["subnormal"]
                subnormal[1] += 1
        else:
            per_device: dict[str, Any] = {}
            for d in devices:
                r = time_op(op_closure(ex, op, d, bounds), d, args.budget, args.runtime)
                times[measure_name(str(d))] = r["seconds"]
                per_device[measure_name(str(d))] = r
                bar.step(f"{op.op} on {d}")
            detail["devices"] = per_device
            how = f"{count} op(s), e.g. {op.name}, timed with random activations"
        entries.append({"op": op.op, "operands": op.operand_types, "results": op.result_types,
                        "attributes": op.attributes, "times": times,
                        "description": f"diviml-measure: {os.path.basename(args.module)}: {how}; "
                                       f"cpu: median wall time, gpu: "
                                       f"{'time in a replayed CUDA graph' if args.runtime == 'graph' else 'back-to-back stream time'}"})
        details.append(detail)
    op_seconds = time.perf_counter() - start

    dispatch = {measure_name(str(d)): measure_dispatch(d, args.budget, args.runtime) for d in devices}
    copies = {measure_name(str(d)): measure_copies(d, sizes) for d in devices if d.type == "cuda"}
    links = {n: {f"{direction}_{'pinned' if pinned else 'pageable'}": fit_link(t, direction, pinned)
                 for direction in ("h2d", "d2h") for pinned in (True, False)}
             for n, t in copies.items()}
    peaks = {measure_name(str(d)): measure_peaks(d, args.peak_size, args.budget) for d in devices}

    env = {"torch": torch.__version__, "python": sys.version.split()[0],
           "machine": host_platform.machine(), "cpu_count": os.cpu_count(),
           "cpu_threads": torch.get_num_threads(), "flush_denormal": args.flush_denormal,
           "devices": {measure_name(str(d)): (torch.cuda.get_device_name(d) if d.type == "cuda" else "cpu")
                       for d in devices}}
    measurements = {"tool": "diviml-measure profile", "module": args.module, "environment": env,
                    "budget_per_op_s": args.budget, "values": args.values, "runtime": args.runtime,
                    "ops": details, "dispatch": dispatch,
                    "copies": copies, "links": links, "peaks": peaks}
    table = {"description": f"diviml-measure profile of {os.path.basename(args.module)} on "
                            f"{', '.join(str(d) for d in devices)}",
             "entries": entries, "measurements": measurements}
    with open(args.output, "w") as f:
        json.dump(table, f, indent=1)
        f.write("\n")
    summary: dict[str, Any] = {"profile": args.output, "signatures": len(sigs),
                               "devices": [str(d) for d in devices], "seconds": op_seconds,
                               "values": args.values}
    if program:
        summary["mean_subnormal_fraction"] = subnormal[0] / subnormal[1] if subnormal[1] else 0.0
    if args.platform_out:
        name = args.platform_name or socket.gethostname() or "measured"
        calibrate(platform_json(name, devices, peaks, dispatch, links, args.runtime), args.output, copies,
                  args.platform_out)
        summary["platform"] = args.platform_out
    if args.json:
        json.dump(summary, sys.stdout, indent=1)
        print()
    else:
        print(f"profiled {len(sigs)} op signatures of {args.module} on "
              f"{', '.join(str(d) for d in devices)} in {op_seconds:.1f} s -> {args.output}")
        if program:
            print(f"  values of one run of the program: {steps} ops timed; on average "
                  f"{100 * summary['mean_subnormal_fraction']:.1f} % of an op's float operands are subnormal"
                  + (" (slow on CPUs: see --flush-denormal)" if summary["mean_subnormal_fraction"] > 0.01 else ""))
        for n, r in dispatch.items():
            per = r.get("stream", r.get("seconds"))
            print(f"  {n}: dispatch per kernel {per * 1e6:.1f} us"
                  + (f" (host issue {r['dispatch'] * 1e6:.1f} us, alone {r['isolated'] * 1e6:.1f} us)"
                     if "dispatch" in r else ""))
        for n, pk in peaks.items():
            print(f"  {n}: matmul f32 {pk['matmul_f32_flops'] / 1e9:.1f} GFLOP/s, "
                  f"copy {pk['copy_bytes_per_s'] / 1e9:.1f} GB/s")
        for n, fits in links.items():
            for k, v in fits.items():
                print(f"  cpu<->{n} {k}: {v['bandwidth'] / 1e9:.2f} GB/s + {v['latency'] * 1e6:.1f} us")
        if args.platform_out:
            print(f"platform -> {args.platform_out}")
    return 0
