#!/usr/bin/env python3
"""Fidelity bench: the machine model's predictions against whole placed
programs measured on a real node (docs/fidelity.md).

For every run of MEASUREMENTS/runs.json it scores the run's placement
(MEASUREMENTS/placements/*.mlir, `diviml.device` on every op) with
`--diviml-partition="algorithm=given"` on PLATFORM, once with
MEASUREMENTS/profile.json and once with the calibrated roofline alone, and
prints predicted against measured time: absolute, and relative to the same
model's all-on-GPU placement within the same run (what a user decides with).
It then runs the default algorithm on each model and says where it puts the
ops. Output is Markdown.

Usage: fidelity.py [--measurements DIR] [--bin DIR] [--platform NAME]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL_ON_GPU = "fastest-single"


def predict(binary: str, module: str, platform: str, profile: Optional[str],
            algorithm: str = "given") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        options = [f"platform={platform}", f"algorithm={algorithm}",
                   f"report={report}"]
        if profile:
            options.append(f"profile={profile}")
        result = subprocess.run(
            [binary, module, "--diviml-partition=" + " ".join(options), "-o",
             os.devnull], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"diviml-opt failed on {module}:\n{result.stderr}")
        with open(report) as f:
            return json.load(f)


def error(predicted: float, measured: float) -> float:
    return predicted / measured - 1


def percent(x: float) -> str:
    return f"{100 * x:+.1f} %"


def summarise(rows: List[dict], key: str) -> Tuple[float, float, float, float]:
    absolute = [abs(r[key + "_abs_err"]) for r in rows]
    relative = [abs(r[key + "_rel_err"]) for r in rows
                if r["placement"] != ALL_ON_GPU]
    return (statistics.median(relative), max(relative),
            statistics.median(absolute), max(absolute))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measurements",
                        default=os.path.join(ROOT, "..", "shared",
                                             "measurements", "h200-node"))
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--platform", default="h200-node")
    args = parser.parse_args()
    binary = os.path.join(args.bin, "diviml-opt")
    profile = os.path.join(args.measurements, "profile.json")
    # The same measurements with the faster of the two runs of each op
    # instead of their mean: single CPU runs hold stalls of milliseconds.
    fastest_profile = tempfile.NamedTemporaryFile("w", suffix=".json",
                                                  delete=False)
    subprocess.run([sys.executable,
                    os.path.join(ROOT, "bench", "min_profile.py"),
                    args.measurements], stdout=fastest_profile, check=True)
    fastest_profile.close()
    sources = (("profile", profile, "profile.json"),
               ("fastest", fastest_profile.name, "profile, faster run of two"),
               ("roofline", None, "calibrated roofline"))
    with open(os.path.join(args.measurements, "runs.json")) as f:
        runs = json.load(f)

    rows = []
    for run in runs:
        module = os.path.join(args.measurements, run["module"])
        row = dict(run=run["run"], model=run["model"],
                   placement=run["placement"],
                   measured=run["measured_median_s"])
        for key, table, _ in sources:
            row[key] = predict(binary, module, args.platform, table)["value"]
        rows.append(row)
    base: Dict[Tuple[str, str], dict] = {
        (r["run"], r["model"]): r for r in rows if r["placement"] == ALL_ON_GPU}
    for r in rows:
        gpu = base[(r["run"], r["model"])]
        r["measured_ratio"] = r["measured"] / gpu["measured"]
        for key, _, _ in sources:
            r[key + "_ratio"] = r[key] / gpu[key]
            r[key + "_abs_err"] = error(r[key], r["measured"])
            r[key + "_rel_err"] = error(r[key + "_ratio"], r["measured_ratio"])

    print(f"Platform `{args.platform}`; measurements `{args.measurements}`.\n")
    print("## Every run\n")
    print("Times in ms; ratio = time / the same model's all-on-GPU time in "
          "the same run; error = predicted / measured - 1.\n")
    print("Op times: " + "; ".join(f"**{key}** = {label}"
                                   for key, _, label in sources) + ".\n")
    header = "| run | model | placement | measured |"
    header += "".join(f" {key} | error |" for key, _, _ in sources)
    header += " measured ratio |"
    header += "".join(f" ratio ({key}) | error |" for key, _, _ in sources)
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in rows:
        line = (f"| {r['run']} | {r['model']} | {r['placement']} | "
                f"{1e3 * r['measured']:.2f} |")
        for key, _, _ in sources:
            line += f" {1e3 * r[key]:.2f} | {percent(r[key + '_abs_err'])} |"
        line += f" {r['measured_ratio']:.2f} |"
        for key, _, _ in sources:
            line += (f" {r[key + '_ratio']:.2f} | "
                     f"{percent(r[key + '_rel_err'])} |")
        print(line)

    print("\n## Summary\n")
    print("Relative errors over the placements that are not all-on-GPU "
          "(all-on-GPU is 1 by definition); absolute errors over every run.\n")
    print("| op times | relative: median | relative: worst | absolute: median "
          "| absolute: worst |")
    print("|---|---|---|---|---|")
    for key, _, label in sources:
        med, worst, amed, aworst = summarise(rows, key)
        print(f"| {label} | {100 * med:.1f} % | {100 * worst:.1f} % | "
              f"{100 * amed:.1f} % | {100 * aworst:.1f} % |")

    print("\n## Is the placement predicted fastest measured fastest?\n")
    header = "| run | model |" + "".join(
        f" predicted fastest ({key}) | its measured time / fastest measured |"
        for key, _, _ in sources)
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for (run, model) in sorted(base):
        group = [r for r in rows if r["run"] == run and r["model"] == model]
        fastest = min(r["measured"] for r in group)
        cells = []
        for key, _, _ in sources:
            pick = min(group, key=lambda r: r[key])
            cells += [pick["placement"], f"{pick['measured'] / fastest:.3f}"]
        print(f"| {run} | {model} | " + " | ".join(cells) + " |")

    print("\n## Where the default algorithm puts each model\n")
    print("| model | op times | predicted latency | ops on each device |")
    print("|---|---|---|---|")
    seen = set()
    for run in runs:
        if run["placement"] != ALL_ON_GPU or run["model"] in seen:
            continue
        seen.add(run["model"])
        module = os.path.join(args.measurements, run["module"])
        for key, table, _ in sources:
            report = predict(binary, module, args.platform, table, "split")
            counts: Dict[str, int] = {}
            for device in report["placement"].values():
                counts[device] = counts.get(device, 0) + 1
            print(f"| {run['model']} | {key} | "
                  f"{1e3 * report['value']:.2f} ms | "
                  + ", ".join(f"{d}: {n}" for d, n in sorted(counts.items()))
                  + " |")
    os.unlink(fastest_profile.name)


if __name__ == "__main__":
    main()
