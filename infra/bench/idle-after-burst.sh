#!/usr/bin/env bash
# What an idle Floe instance costs right after a burst of small flushes (docs/BENCHMARKS.md, T5): a
# benchmark, not a test (STYLE.md rule 12). Starts Floe on a fresh radosgw bucket, runs the latency
# probe (infra/bench/LatencyProbe.java: BURST_RATE MB/s of 1 KiB records, acks=all, 8 partitions,
# BURST_SECONDS + 5 s warm-up; flushes of 0.1-0.6 MB), disconnects every client, then idles for
# IDLE_SECONDS and reports the store requests of the idle window by kind (floe_store_requests_total at
# /q/metrics) and per second. Every SAMPLE_EVERY seconds of the idle window it takes a thread dump and
# counts, per calling method, the threads that are inside a store GET: that names the code that reads.
#
#   infra/bench/idle-after-burst.sh
#   BURST_SECONDS=20 IDLE_SECONDS=60 infra/bench/idle-after-burst.sh
#
# Builds the jar first (SKIP_BUILD=1 to reuse target/quarkus-app). Floe runs with -Xmx512m on ports
# 19192 (Kafka) and 18180 (HTTP), apart from lab.sh's. Raw output in target/idle-burst.
set -euo pipefail
BURST_RATE="${BURST_RATE:-5}"
BURST_SECONDS="${BURST_SECONDS:-40}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
SAMPLE_EVERY="${SAMPLE_EVERY:-2}"
export PARTITIONS=8 FLOE_PORT="${FLOE_PORT:-19192}" FLOE_HTTP="${FLOE_HTTP:-18180}"
WORK="$(cd "$(dirname "$0")/../.." && pwd)/target/idle-burst"
. "$(dirname "$0")/common.sh"
rm -f "$WORK"/dump-* "$WORK"/metrics-*

fetch_kafka_jars
ensure_radosgw
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -q -B package -DskipTests
BUCKET=floe-idle-$(date +%s)
create_bucket "$BUCKET"
# start_floe runs with -Xmx1g; this benchmark needs far less.
env FLOE_STORAGE_URL="s3://$BUCKET" FLOE_S3_ENDPOINT="$S3" FLOE_S3_PATH_STYLE=true FLOE_S3_ACCESS_KEY=floe \
  FLOE_S3_SECRET_KEY=floe-secret FLOE_KAFKA_PORT=$FLOE_PORT QUARKUS_HTTP_PORT=$FLOE_HTTP \
  "$JAVA" -Xmx512m -jar target/quarkus-app/quarkus-run.jar > "$WORK/floe.log" 2>&1 &
FLOE_PID=$!
pids+=($FLOE_PID)
wait_port 127.0.0.1 $FLOE_PORT 60

snap() { curl -s "http://127.0.0.1:$FLOE_HTTP/q/metrics" | grep '^floe_store_requests_total' > "$WORK/metrics-$1.txt"; }

snap before-burst
echo "burst: $("$JAVA" -Xmx512m -cp "$CP" "$ROOT/infra/bench/LatencyProbe.java" "127.0.0.1:$FLOE_PORT" "$BURST_RATE" 1024 \
  "$BURST_SECONDS" 5 "$PARTITIONS" 2>/dev/null | grep '^PROBE')"
snap idle-start
t0=$(date +%s)
n=0
while [ $(( $(date +%s) - t0 )) -lt "$IDLE_SECONDS" ]; do
  sleep "$SAMPLE_EVERY"
  "$JAVA_HOME/bin/jcmd" "$FLOE_PID" Thread.print > "$WORK/dump-$n.txt" 2>/dev/null || true
  n=$((n + 1))
done
snap idle-end

python3 - "$WORK" "$IDLE_SECONDS" "$n" <<'PY'
import re, sys, collections
work, idle, dumps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def counts(name):
    out = {}
    for line in open(f"{work}/metrics-{name}.txt"):
        m = re.match(r'floe_store_requests_total\{operation="(\w+)"\}\s+([0-9.eE+]+)', line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out
a, b, c = counts("before-burst"), counts("idle-start"), counts("idle-end")
burst = {k: int(b.get(k, 0) - a.get(k, 0)) for k in b}
quiet = {k: int(c.get(k, 0) - b.get(k, 0)) for k in c}
print("burst requests:", dict(sorted(burst.items())))
print(f"idle {idle} s requests:", dict(sorted(quiet.items())), f"total {sum(quiet.values())}")
gets = quiet.get("GET", 0) + quiet.get("RANGE_GET", 0)
print(f"idle GETs per second: {gets / idle:.1f} (RANGE_GET {quiet.get('RANGE_GET', 0) / idle:.1f}/s)")
# Who is inside a store read: the first io.floe frame above the store, per sampled thread.
callers = collections.Counter()
for i in range(dumps):
    try:
        text = open(f"{work}/dump-{i}.txt").read()
    except OSError:
        continue
    for block in text.split("\n\n"):
        frames = re.findall(r"at ([\w.$]+)\(", block)
        reading = [j for j, f in enumerate(frames) if f.startswith("io.floe.store.") and re.search(r"\.get(Range)?$", f)]
        if not reading:
            continue
        above = []
        for f in frames[reading[-1] + 1:]:
            if not f.startswith("io.floe.") or f.startswith("io.floe.store.") or "ambda" in f or f.endswith("Retry.call"):
                continue
            f = f.removeprefix("io.floe.")
            if not above or above[-1] != f:
                above.append(f)
        thread = re.match(r'"([^"]*)"', block)
        callers[(thread.group(1) if thread else "?") + ": " + (" <- ".join(above[:3]) or "(no io.floe caller)")] += 1
print(f"threads inside a store GET, over {dumps} thread dumps of the idle window:")
for k, v in callers.most_common(10):
    print(f"  {v:4d}  {k}")
PY
stop_pid "$FLOE_PID"
empty_bucket "$BUCKET"
