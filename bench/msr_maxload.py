#!/usr/bin/env python3
"""Max load of a placement under the Tarnawski et al. (NeurIPS 2020) throughput model.

Recomputes, independently of diviml's evaluator, the formula of that paper's artifact:
  load(accelerator a) = sum of fpgaLatency of its nodes
                      + sum of cost(u) over its nodes u with a consumer on another device
                      + sum of cost(u) over nodes u elsewhere with >= 1 consumer on a (once per (u, a))
  load(CPU core)      = sum of cpuLatency of its nodes
  max load            = max over devices.
Usage: msr_maxload.py WORKLOAD.json SPLIT.json [--report REPORT.json]
With --report, also checks that the report's `value` equals the max load (relative 1e-9) and exits 1 if not.
"""
import argparse
import json
import sys


def max_load(workload, split):
    nodes = {n["id"]: n for n in workload["nodes"]}
    cost = {}
    consumers = {i: set() for i in nodes}
    for e in workload["edges"]:
        cost[e["sourceId"]] = e["cost"]
        consumers[e["sourceId"]].add(e["destId"])
    device = {}
    for kind in ("fpgas", "cpus"):
        for index, entry in enumerate(split[kind]):
            for node in entry["nodes"]:
                if node in device:
                    raise SystemExit(f"node {node} placed twice")
                device[node] = (kind, index)
    missing = set(nodes) - set(device)
    if missing:
        raise SystemExit(f"nodes not placed: {sorted(missing)}")
    loads = {}
    for node_id, (kind, index) in device.items():
        node = nodes[node_id]
        if kind == "fpgas" and not node["supportedOnFpga"]:
            raise SystemExit(f"node {node_id} is not supported on an accelerator")
        loads[(kind, index)] = loads.get((kind, index), 0.0) + (
            node["fpgaLatency"] if kind == "fpgas" else node["cpuLatency"])
    for u, users in consumers.items():
        here = device[u]
        elsewhere = {device[w] for w in users} - {here}
        if here[0] == "fpgas" and elsewhere:
            loads[here] += cost[u]
        for dest in elsewhere:
            if dest[0] == "fpgas":
                loads[dest] = loads.get(dest, 0.0) + cost[u]
    return max(loads.values())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload")
    parser.add_argument("split")
    parser.add_argument("--report")
    args = parser.parse_args()
    with open(args.workload) as f:
        workload = json.load(f)
    with open(args.split) as f:
        split = json.load(f)
    load = max_load(workload, split)
    print(f"max load {load!r}")
    if args.report:
        with open(args.report) as f:
            value = json.load(f)["value"]
        ok = abs(value - load) <= 1e-9 * max(abs(load), 1e-300)
        print(f"report value {value!r}: {'equal' if ok else 'DIFFERENT'}")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
