#!/usr/bin/env python3
"""Medians of benches/spike.sh's runs: one line per path, kind and load."""
import re
import statistics
import sys
from collections import defaultdict


def fields(line):
    return dict(re.findall(r"(\w+)=([^\s]+)", line))


groups = defaultdict(list)
for line in open(sys.argv[1]):
    f = fields(line)
    if line.startswith("STATIC"):
        groups[("static", f["path"])].append(f)
    elif line.startswith("SUSTAIN"):
        groups[("sustain", f["kind"])].append(f)
    elif line.startswith("OPEN"):
        groups[("open", f["kind"], f["mult"])].append(f)


def med(rows, key):
    vals = [float(r[key]) for r in rows if key in r]
    return statistics.median(vals) if vals else float("nan")


print("== medians")
for key, rows in groups.items():
    n = len(rows)
    if key[0] in ("static", "sustain"):
        print(f"{key[0]:8} {key[1]:32} runs={n} rps={med(rows, 'rps'):.0f} "
              f"p50_ms={med(rows, 'p50_ms'):.2f} p99_ms={med(rows, 'p99_ms'):.2f} non_2xx={med(rows, 'non_2xx'):.0f}")
    else:
        extra = ""
        if key[1] == "create":
            lost = sum(int(r.get("lost", 0)) for r in rows)
            unacked = sum(int(r.get("unacknowledged_rows", 0)) for r in rows)
            extra = f" lost={lost} unacknowledged_rows={unacked}"
        print(f"open     {key[1]:6} {key[2]:>2}x runs={n} offered={med(rows, 'offered_rps'):.0f}/s "
              f"answered={med(rows, 'answered'):.0f} ok_rps={med(rows, 'ok_rps'):.0f} "
              f"shed={100 * med(rows, 'shed_share'):.1f}% p50_ms={med(rows, 'p50_ms'):.2f} "
              f"p99_ms={med(rows, 'p99_ms'):.2f} late_p99_ms={med(rows, 'late_p99_ms'):.2f} "
              f"broken={med(rows, 'broken'):.0f}{extra}")
