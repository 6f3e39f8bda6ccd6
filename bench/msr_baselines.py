#!/usr/bin/env python3
"""Runs diviml-partition (throughput) with every given algorithm on Tarnawski et al. workloads.

For each workload file: import with diviml-translate, partition, export the split, and recompute the split's max load
independently with msr_maxload.py's formula; the recomputed load must equal the report's value. Prints a Markdown
table (value, lower bound, gap, solve time, check).
Usage: msr_baselines.py WORKLOAD_DIR [--build BUILD] [--algorithms a,b,c] [--options "k=v ..."]
WORKLOAD_DIR holds *.json files, or throughput/ and latency/ folders of them (e.g. ../shared/workloads/msr).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from msr_maxload import max_load  # noqa: E402


def workloads(root):
    found = []
    for sub in ("throughput", "latency", "."):
        folder = os.path.join(root, sub)
        if os.path.isdir(folder):
            found += [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".json")]
    return found


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stderr}")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload_dir")
    parser.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    parser.add_argument("--algorithms", default="fastest-single,greedy,heft")
    parser.add_argument("--options", default="", help="extra diviml-partition options, e.g. 'time-limit=10'")
    args = parser.parse_args()
    bin_dir = os.path.join(args.build, "bin")
    files = workloads(args.workload_dir)
    if not files:
        print(f"no workloads in {args.workload_dir}", file=sys.stderr)
        return 2
    print("| workload | algorithm | status | max load | lower bound | gap | solve s | wall s | split recomputed |")
    print("|---|---|---|---|---|---|---|---|---|")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            name = os.path.relpath(path, args.workload_dir)
            with open(path) as f:
                workload = json.load(f)
            mlir = os.path.join(tmp, "w.mlir")
            run([os.path.join(bin_dir, "diviml-translate"), "--import-msr-json", path, "-o", mlir])
            for algorithm in args.algorithms.split(","):
                report = os.path.join(tmp, "r.json")
                placed = os.path.join(tmp, "p.mlir")
                split = os.path.join(tmp, "s.json")
                options = f"objective=throughput algorithm={algorithm} report={report} {args.options}".strip()
                start = time.monotonic()
                run([os.path.join(bin_dir, "diviml-opt"), mlir, f"--diviml-partition={options}", "-o", placed])
                wall = time.monotonic() - start
                run([os.path.join(bin_dir, "diviml-translate"), "--export-msr-split", placed, "-o", split])
                with open(report) as f:
                    rep = json.load(f)
                with open(split) as f:
                    load = max_load(workload, json.load(f))
                ok = abs(load - rep["value"]) <= 1e-9 * max(abs(load), 1e-300)
                failures += not ok
                print(f"| {name} | {algorithm} | {rep['status']} | {rep['value']:.6g} | {rep['lower_bound']:.6g} | {rep['gap']:.2%} "
                      f"| {rep['solve_seconds']:.3g} | {wall:.2f} | {'equal' if ok else f'DIFFERENT ({load:.6g})'} |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
