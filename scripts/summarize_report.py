#!/usr/bin/env python3
"""Prints a diviml-partition JSON report as a short human-readable table."""
import json
import sys


def main(path):
    with open(path) as f:
        report = json.load(f)
    unit = "s per sample" if report["objective"] == "throughput" else "s"
    print(f"platform {report['platform']}, objective {report['objective']}, "
          f"algorithm {report['algorithm']} ({report['status']})")
    print(f"predicted {report['objective']}: {report['value']:.6g} {unit}"
          f"  (lower bound {report['lower_bound']:.6g}, gap {report['gap']:.1%})")
    print("where each op runs:")
    width = max((len(op) for op in report["placement"]), default=0)
    for op, device in report["placement"].items():
        print(f"  {op:<{width}}  {device}")
    print("devices:")
    for d in report["devices"]:
        print(f"  {d['name']:<6} {d['kind']:<5} {d['ops']:>4} ops  "
              f"busy {d['busy_seconds']:.3g} s  memory {d['memory_bytes']:.3g} B")


if __name__ == "__main__":
    main(sys.argv[1])
