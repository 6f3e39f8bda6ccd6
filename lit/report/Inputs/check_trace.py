"""Checks a diviml trace against its report: valid JSON, every slice on a
named track, no two slices of a track overlapping, and (latency) the last
slice ending at the report's value. Prints one summary line."""
import json
import sys
from collections import defaultdict

trace = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
named = {(e["pid"], e["tid"]) for e in trace["traceEvents"]
         if e["ph"] == "M" and e["name"] == "thread_name"}
tracks = defaultdict(list)
for e in trace["traceEvents"]:
    if e["ph"] == "X":
        assert (e["pid"], e["tid"]) in named, f"slice {e['name']} on an unnamed track"
        assert e["dur"] >= 0, e
        tracks[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"]))
overlaps = 0
for spans in tracks.values():
    spans.sort()
    overlaps += sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1] - 1e-6 * max(1, a[1]))
end = max(b for spans in tracks.values() for _, b in spans)
line = f"{report['objective']}: {sum(map(len, tracks.values()))} slices, {overlaps} overlaps"
if report["objective"] == "latency":
    line += f", ends at value: {abs(end - report['value'] * 1e6) <= 1e-6 * end}"
print(line)
