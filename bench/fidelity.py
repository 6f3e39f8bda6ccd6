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

With --node DIR it scores instead the runs that `diviml-measure run` measured
on another node (DIR/runs.json, written from its --json outputs; the same
placed programs), with that node's own `diviml-measure profile` tables
(DIR/prof-program-MODEL.json: every op timed with the values of one run of
the program; DIR/prof-random-MODEL.json: one op per signature, random
activations) and the calibrated roofline; runs measured with
--flush-denormal are listed apart, and runs under CUDA graph replay
(`runtime: graph`) are predicted on --graph-platform with the profiles
timed in replayed graphs (DIR/profgraph-*.json) (docs/fidelity-h100.md).

Usage: fidelity.py [--measurements DIR] [--node DIR] [--bin DIR] [--platform NAME]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Callable, Dict, List, Optional, Tuple

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


# An op-time source: key, the profile table of a model (None: the
# calibrated roofline), label.
Source = Tuple[str, Callable[[str], Optional[str]], str]


def shared_sources(measurements: str) -> Tuple[List[Source], List[str]]:
    """profile.json, its faster run of two, the roofline; and the files to
    delete afterwards."""
    profile = os.path.join(measurements, "profile.json")
    # The same measurements with the faster of the two runs of each op
    # instead of their mean: single CPU runs hold stalls of milliseconds.
    fastest_profile = tempfile.NamedTemporaryFile("w", suffix=".json",
                                                  delete=False)
    subprocess.run([sys.executable,
                    os.path.join(ROOT, "bench", "min_profile.py"),
                    measurements], stdout=fastest_profile, check=True)
    fastest_profile.close()
    fastest = fastest_profile.name
    return ([("profile", lambda model: profile, "profile.json"),
             ("fastest", lambda model: fastest, "profile, faster run of two"),
             ("roofline", lambda model: None, "calibrated roofline")],
            [fastest])


def node_sources(node: str, prefix: str = "prof") -> List[Source]:
    """The node's own diviml-measure profiles of each model (PREFIX-program-
    MODEL.json, PREFIX-random-MODEL.json), and the roofline."""
    return [("program",
             lambda model: os.path.join(node, f"{prefix}-program-{model}.json"),
             "diviml-measure profile --values program"),
            ("random",
             lambda model: os.path.join(node, f"{prefix}-random-{model}.json"),
             "diviml-measure profile (random values)"),
            ("roofline", lambda model: None, "calibrated roofline")]


def print_beside(title: str, intro: str, other_label: str, group: List[dict],
                 plain: Dict[Tuple[str, str], dict],
                 sources: List[Source]) -> None:
    """Runs measured some other way, each beside the plain run of the same
    placed program, with every source's prediction and error."""
    print(f"\n## {title}\n\n{intro}\n")
    header = f"| model | placement | measured | {other_label} |"
    header += "".join(f" {key} | error |" for key, _, _ in sources)
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in group:
        other = plain[(r["model"], r["placement"])]
        print(f"| {r['model']} | {r['placement']} | {1e3 * r['measured']:.2f} "
              f"| {1e3 * other['measured']:.2f} |"
              + "".join(f" {1e3 * r[key]:.2f} | "
                        f"{percent(error(r[key], r['measured']))} |"
                        for key, _, _ in sources))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measurements",
                        default=os.path.join(ROOT, "..", "shared",
                                             "measurements", "h200-node"))
    parser.add_argument("--node", default=None,
                        help="runs and profiles of diviml-measure on a node")
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--platform", default="h200-node")
    parser.add_argument("--graph-platform", default="h200-node-graph",
                        help="platform of the runs measured under CUDA graph replay")
    args = parser.parse_args()
    binary = os.path.join(args.bin, "diviml-opt")
    if args.node:
        sources, temporary = node_sources(args.node), []
        # Runs under graph replay take the profiles timed in replayed graphs.
        graph_sources = node_sources(args.node, "profgraph")
        runs_file = os.path.join(args.node, "runs.json")
    else:
        sources, temporary = shared_sources(args.measurements)
        graph_sources = sources
        runs_file = os.path.join(args.measurements, "runs.json")
    with open(runs_file) as f:
        runs = json.load(f)

    rows, flushed, replayed = [], [], []
    for run in runs:
        module = os.path.join(args.measurements, run["module"])
        row = dict(run=run["run"], model=run["model"],
                   placement=run["placement"],
                   measured=run["measured_median_s"])
        graph = run.get("runtime") == "graph"
        platform = args.graph_platform if graph else args.platform
        for key, table, _ in (graph_sources if graph else sources):
            row[key] = predict(binary, module, platform,
                               table(run["model"]))["value"]
        if graph:
            replayed.append(row)
        else:
            (flushed if run.get("flush_denormal") else rows).append(row)
    base: Dict[Tuple[str, str], dict] = {
        (r["run"], r["model"]): r for r in rows if r["placement"] == ALL_ON_GPU}
    for r in rows:
        gpu = base[(r["run"], r["model"])]
        r["measured_ratio"] = r["measured"] / gpu["measured"]
        for key, _, _ in sources:
            r[key + "_ratio"] = r[key] / gpu[key]
            r[key + "_abs_err"] = error(r[key], r["measured"])
            r[key + "_rel_err"] = error(r[key + "_ratio"], r["measured_ratio"])

    where = args.node or args.measurements
    print(f"Platform `{args.platform}`; measurements `{where}`.\n")
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
            report = predict(binary, module, args.platform,
                             table(run["model"]), "split")
            counts: Dict[str, int] = {}
            for device in report["placement"].values():
                counts[device] = counts.get(device, 0) + 1
            print(f"| {run['model']} | {key} | "
                  f"{1e3 * report['value']:.2f} ms | "
                  + ", ".join(f"{d}: {n}" for d, n in sorted(counts.items()))
                  + " |")
    plain = {(r["model"], r["placement"]): r for r in rows}
    if flushed:
        print_beside("Runs with subnormal floats flushed to zero on the CPU",
                     "The same programs run with `--flush-denormal`; times in "
                     "ms.", "measured without flush", flushed, plain, sources)
    if replayed:
        print_beside("All-on-GPU under CUDA graph replay",
                     f"Predicted on `{args.graph_platform}`, with the profiles "
                     f"timed in replayed CUDA graphs (`--runtime graph`); times "
                     f"in ms; the eager run of the same program beside it.",
                     "measured eager", replayed, plain, sources)
    for path in temporary:
        os.unlink(path)


if __name__ == "__main__":
    main()
