"""`diviml-measure run`: executes a placed module op by op on the devices its
`diviml.device` names and reports measured against predicted time and the
numerical difference from an all-on-CPU run (docs/measure.md)."""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from typing import Any, Optional

import torch

from diviml_measure.executor import (DeviceError, Executor, max_relative_difference,
                                     parse_maps, resolve_devices)
from diviml_measure.graph import GraphRunner
from diviml_measure.plan import Plan, load_plan
from diviml_measure.timing import configure_torch


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("module", help="placed MLIR module (or a plan .json from diviml-translate --export-plan)")
    p.add_argument("--report", help="the diviml-partition report whose prediction to compare with")
    p.add_argument("--map", action="append", default=[], metavar="NAME=DEVICE",
                   help="run the placement's device NAME on local DEVICE (cpu, cuda:N); repeatable")
    p.add_argument("--mode", choices=["latency", "throughput"], default="latency")
    p.add_argument("--runtime", choices=["eager", "graph"], default="eager",
                   help="eager: one host thread issues every op (default); graph: a program placed "
                        "entirely on one GPU is captured once as a CUDA graph and replayed (latency)")
    p.add_argument("--reps", type=int, default=20, help="timed runs (latency)")
    p.add_argument("--warmup", type=int, default=3, help="untimed runs first")
    p.add_argument("--samples", type=int, default=32, help="samples in the stream (throughput)")
    p.add_argument("--in-flight", type=int, default=4, help="samples started and not finished (throughput)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads (torch.set_num_threads)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    p.add_argument("--flush-denormal", action="store_true",
                   help="the CPU treats subnormal floats as zero (torch.set_flush_denormal)")
    p.add_argument("--save-outputs", metavar="FILE",
                   help="save the outputs of the run (torch.save, a list of CPU tensors)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def read_report(path: str) -> dict[str, Any]:
    with open(path) as f:
        return json.load(f)


def placement_mismatches(plan: Plan, report: dict[str, Any]) -> tuple[int, int]:
    """(ops named in both, of which placed differently)."""
    placement = report.get("placement", {})
    both = differ = 0
    for op in plan.ops:
        if op.device is not None and op.name in placement:
            both += 1
            differ += placement[op.name] != op.device
    return both, differ


def main(args: argparse.Namespace) -> int:
    plan = load_plan(args.module, args.translate)
    configure_torch(args.threads, args.flush_denormal)
    device_of = resolve_devices(plan, parse_maps(args.map))
    ex = Executor(plan, device_of)
    reference = Executor(plan, {name: torch.device("cpu") for name in device_of})
    inputs = ex.make_inputs(args.seed)
    expected = reference.run(inputs)
    once = ex.run
    if args.runtime == "graph":
        if args.mode != "latency":
            raise DeviceError("--runtime graph measures latency only")
        once = GraphRunner(ex, inputs).run
    outputs = once(inputs)
    difference = max_relative_difference(outputs, expected)
    if args.save_outputs:
        torch.save(outputs, args.save_outputs)
    for _ in range(max(0, args.warmup - 1)):
        once(inputs)

    result: dict[str, Any] = {
        "module": args.module, "function": plan.function, "mode": args.mode, "runtime": args.runtime,
        "ops": len(ex.steps),
        "devices": {name: str(d) for name, d in device_of.items()},
        "ops_per_device": {name: sum(1 for op in plan.ops if op.device == name) for name in device_of},
        "cpu_threads": torch.get_num_threads(), "flush_denormal": args.flush_denormal,
        "max_rel_diff_vs_cpu": difference,
    }
    if args.mode == "latency":
        times = []
        for _ in range(args.reps):
            start = time.perf_counter()
            once(inputs)
            times.append(time.perf_counter() - start)
        result.update({"reps": args.reps, "measured_median_s": statistics.median(times),
                       "measured_min_s": min(times)})
        measured = result["measured_median_s"]
    else:
        ex.run_stream(inputs, min(args.samples, 2 * args.in_flight), args.in_flight)  # warm-up
        wall = ex.run_stream(inputs, args.samples, args.in_flight)
        result.update({"samples": args.samples, "in_flight": args.in_flight,
                       "measured_seconds_per_sample": wall / args.samples,
                       "samples_per_second": args.samples / wall})
        measured = result["measured_seconds_per_sample"]

    predicted: Optional[float] = None
    if args.report:
        report = read_report(args.report)
        predicted = report.get("value")
        result["predicted_s"] = predicted
        result["report_objective"] = report.get("objective")
        result["report_algorithm"] = report.get("algorithm")
        both, differ = placement_mismatches(plan, report)
        result["report_ops_matched"] = both
        result["report_ops_placed_differently"] = differ
        if predicted:
            result["measured_over_predicted"] = measured / predicted

    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
        return 0
    per = ", ".join(f"{n} -> {d} ({result['ops_per_device'][n]} ops)" for n, d in result["devices"].items())
    print(f"{args.module}: @{plan.function}, {len(ex.steps)} ops; {per or 'unplaced: all on cpu'}")
    if args.mode == "latency":
        print(f"  measured latency: median {result['measured_median_s'] * 1e3:.3f} ms, "
              f"min {result['measured_min_s'] * 1e3:.3f} ms over {args.reps} runs "
              f"({args.warmup} warm-up, {result['cpu_threads']} CPU threads)")
    else:
        print(f"  measured throughput: {measured * 1e3:.3f} ms per sample "
              f"({result['samples_per_second']:.1f} samples/s) over {args.samples} samples, "
              f"{args.in_flight} in flight, one worker per device")
    if args.report:
        objective = result["report_objective"]
        if predicted:
            print(f"  predicted ({args.report}: {objective}, {result['report_algorithm']}): "
                  f"{predicted * 1e3:.3f} ms; measured / predicted = {measured / predicted:.2f}")
        if objective and objective != args.mode:
            print(f"  note: the report predicts {objective}, this run measured {args.mode}")
        if result["report_ops_matched"] == 0:
            print("  note: no op name of the report's placement is in the module "
                  "(print it with --mlir-print-debuginfo to keep name locations)")
        elif result["report_ops_placed_differently"]:
            print(f"  note: {result['report_ops_placed_differently']} of {result['report_ops_matched']} ops "
                  "are placed differently from the report")
    if args.runtime == "graph":
        print("  runtime: CUDA graph replay (inputs copied in, outputs copied out, each run)")
    print(f"  numerics: max relative difference vs an all-on-CPU run {difference:.3g}")
    return 0
