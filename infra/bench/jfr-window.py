#!/usr/bin/env python3
"""Shares of a JFR recording's samples within a time window (e.g. one phase of cpu-per-gib.sh).

  infra/bench/jfr-window.py REC.jfr EVENT FROM TO [top|floe|incl] [N]
  infra/bench/jfr-window.py /tmp/floe.jfr jdk.CPUTimeSample 05:59:01.8 05:59:06.7 top 10
  infra/bench/jfr-window.py /tmp/floe.jfr jdk.ObjectAllocationSample 05:59:01.8 05:59:06.7 floe 5
  infra/bench/jfr-window.py /tmp/floe.jfr jdk.GarbageCollection 05:59:01.8 05:59:06.7

FROM/TO are UTC times of day (HH:MM:SS[.mmm]) as the phase's start and end. Modes: `top` by top frame,
`floe` by top frame and the first io.floe frame, `incl` by every method on the stack. Allocation samples
are weighed by their bytes; jdk.GarbageCollection prints count and seconds per collector.
"""
import collections, glob, json, os, subprocess, sys

rec, event, start, end = sys.argv[1:5]
mode = sys.argv[5] if len(sys.argv) > 5 else "top"
limit = int(sys.argv[6]) if len(sys.argv) > 6 else 25
jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if "JAVA_HOME" in os.environ \
    else sorted(glob.glob("/usr/lib/jvm/*-2[1-9]*/bin/jfr"))[-1]
events = json.loads(subprocess.run([jfr, "print", "--json", "--events", event, rec],
                                   capture_output=True, text=True, check=True).stdout)["recording"]["events"]
counts, total = collections.Counter(), 0
for e in events:
    v = e["values"]
    if not start <= (v.get("startTime") or "")[11:23] <= end:
        continue
    if event == "jdk.GarbageCollection":
        counts[v["name"] + " count"] += 1
        counts[v["name"] + " seconds"] += float(v["duration"][2:-1])
        continue
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
              for f in ((v.get("stackTrace") or {}).get("frames") or [])]
    weight = v.get("weight", 1) if "Allocation" in event else 1
    total += weight
    if mode == "incl":
        for m in set(frames):
            counts[m] += weight
    elif mode == "floe":
        counts[(frames[0] if frames else "?") + "  <<  " + next((m for m in frames if m.startswith("io.floe")), "-")] += weight
    else:
        counts[frames[0] if frames else "?"] += weight
if event == "jdk.GarbageCollection":
    for k, c in sorted(counts.items()):
        print(f"{k}: {c:.3f}" if "seconds" in k else f"{k}: {c}")
else:
    for k, c in counts.most_common(limit):
        print(f"{100 * c / total:5.1f}% {k}")
    print("total", total)
