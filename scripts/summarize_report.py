#!/usr/bin/env python3
"""Prints a diviml-partition JSON report as a short human-readable table:
the gain over the fastest single device first, then why."""
import json
import sys


def seconds(value):
    """Seconds in a readable unit."""
    if value is None:
        return "n/a"
    if abs(value) >= 1e-3 or value == 0:
        return f"{value * 1e3:.3f} ms"
    return f"{value * 1e6:.1f} us"


def main(path, headline_only=False):
    with open(path) as f:
        report = json.load(f)
    objective = report["objective"]
    unit = " per sample" if objective == "throughput" else ""
    single = report.get("fastest_single", {})
    if single.get("speedup") is not None:
        print(f"{objective}: {seconds(report['value'])}{unit} vs {seconds(single['value'])} on the fastest "
              f"single device: {single['speedup']:.2f}x ({seconds(single['gain_seconds'])} saved)")
    if headline_only:
        return
    sources = sorted({fn.get("lower_bound_source", "?") for fn in report.get("functions", [])})
    print(f"platform {report['platform']}, algorithm {report['algorithm']} ({report['status']}), "
          f"lower bound {seconds(report['lower_bound'])} ({', '.join(sources)}), gap {report['gap']:.1%}")
    print("devices:")
    for d in report["devices"]:
        print(f"  {d['name']:<6} {d['kind']:<5} {d['ops']:>4} ops  busy {seconds(d['busy_seconds'])}{unit}  "
              f"utilisation {d.get('utilisation', 0):.0%}")
    used = [link for link in report.get("links", []) if link["bytes"] > 0]
    if used:
        print("links:")
        for link in used:
            print(f"  {link['name']:<12} {link['bytes'] / 1e6:8.3f} MB  busy {seconds(link['busy_seconds'])}{unit}")
    transfers = report.get("transfers")
    if transfers:
        print(f"transfers: {transfers['count']} tensors, {transfers['bytes'] / 1e6:.3f} MB")
    path = report.get("critical_path")
    if path:
        print(f"critical path: {path['ops']} ops, {path['compute_share']:.0%} compute, "
              f"{path['communication_share']:.0%} communication, "
              f"{max(0.0, 1 - path['compute_share'] - path['communication_share']):.0%} waiting")
    print("where each op runs:")
    for fn in report["functions"]:
        placement = fn.get("placement", report["placement"])
        width = max((len(op) for op in placement), default=0)
        print(f"  @{fn['name']}:")
        for op, device in placement.items():
            print(f"    {op:<{width}}  {device}")


if __name__ == "__main__":
    # --headline: only the first line, the gain over the fastest single device.
    args = [a for a in sys.argv[1:] if a != "--headline"]
    main(args[0], headline_only="--headline" in sys.argv[1:])
