#!/usr/bin/env python3
"""Profile table of the H200 node with the faster of the two runs per op.

The shared profile.json averages the two runs of ops.json; calibration uses
the minimum instead, because the slower run of a pair carries the noise (CPU
scheduler spikes of ~8 ms, 14 pairs more than 3x apart) and the minimum is
the repeatable time (docs/calibration.md). Entries, types and attributes are
those of profile.json, in its order.

Usage: min_profile.py <h200-node dir> > profile-min.json
"""
import json
import sys

root = sys.argv[1]
profile = json.load(open(f'{root}/profile.json'))
ops = json.load(open(f'{root}/ops.json'))
if len(ops) != len(profile['entries']):
    sys.exit('ops.json and profile.json differ in length')
for entry, op in zip(profile['entries'], ops):
    if entry['op'] != op['op'] or entry['operands'] != op['operands']:
        sys.exit(f"entry mismatch: {entry['op']} vs {op['op']}")
    entry['times'] = {'cpu': min(op['cpu16']), 'gpu': min(op['gpu']['stream'])}
profile['description'] = ('ops.json of the H200 node: per op the faster of two '
                          'runs (cpu16, gpu.stream)')
json.dump(profile, sys.stdout, indent=1)
print()
