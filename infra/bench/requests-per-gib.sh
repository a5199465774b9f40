#!/usr/bin/env bash
# Store requests per GiB produced and consumed once (issue 14, target 3), Floe alone, quicker than the
# whole lab: one Floe on radosgw with ./floe's JVM options and the given settings, the lab's throughput
# workload (ProducerPerformance, RECORDS x 1 KiB, acks=all, 8 partitions, then ConsumerPerformance)
# for each producer profile, and the store's request counters (floe_store_requests_total) by operation
# before and after each phase; also the server's CPU seconds (user+system) per phase and its peak RSS.
# Request counts do not depend on the machine's load; times do (the load average is printed).
#
#   infra/bench/requests-per-gib.sh                                   # defaults, both profiles
#   RECORDS=1048576 PROFILES=batched infra/bench/requests-per-gib.sh FLOE_FLUSH_MAX_BYTES=32M FLOE_FLUSH_MAX_LINGER=1s
set -euo pipefail
RECORDS="${RECORDS:-300000}"
PROFILES="${PROFILES:-batched default}"
BATCHED_PROPS="${BATCHED_PROPS:-batch.size=1048576,max.request.size=8388608,buffer.memory=67108864}"
export PARTITIONS=8
export FLOE_PORT=${FLOE_PORT:-19142} FLOE_HTTP=${FLOE_HTTP:-18142}
WORK="$(cd "$(dirname "$0")/../.." && pwd)/target/requests-per-gib"
. "$(dirname "$0")/common.sh"
fetch_kafka_jars
ensure_radosgw
ensure_floe_built

snap() { curl -s "http://127.0.0.1:$FLOE_HTTP/q/metrics" | grep '^floe_store_requests_total' > "$WORK/$1.txt"; }
diff_ops() { # before after label
  python3 - "$WORK/$1.txt" "$WORK/$2.txt" "$3" "$RECORDS" <<'PY'
import re, sys
def read(p):
    d = {}
    for line in open(p):
        m = re.match(r'floe_store_requests_total\{.*operation="([A-Z_]+)".*\}\s+([0-9.eE+]+)', line)
        if m: d[m.group(1)] = d.get(m.group(1), 0) + float(m.group(2))
    return d
a, b = read(sys.argv[1]), read(sys.argv[2])
gib = int(sys.argv[4]) * 1024 / 2**30
ops = {k: int(b.get(k, 0) - a.get(k, 0)) for k in sorted(set(a) | set(b))}
total = sum(ops.values())
print(f"{sys.argv[3]}: {total} requests, {total / gib:,.0f}/GiB  " + " ".join(f"{k}={v}" for k, v in ops.items() if v))
PY
}

bucket=floe-rpg-$(date +%s)
create_bucket "$bucket"
JAVA_OPTS="$FLOE_JAVA_OPTS" start_floe "$bucket" "$WORK/floe.log" MALLOC_ARENA_MAX=2 "$@"
sleep 5
echo "settings: ${*:-defaults}; JVM: $FLOE_JAVA_OPTS; $RECORDS records; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rss idle $(awk '$1 == "VmRSS:" {print $2}' "/proc/$FLOE_PID/status") KiB"
hz=$(getconf CLK_TCK)
for profile in $PROFILES; do
  topic="rpg-$profile-$(date +%s%N)"
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$FLOE_PORT --create --topic "$topic" \
    --partitions 8 --replication-factor 1 > /dev/null
  props=""; [ "$profile" = batched ] && props="${BATCHED_PROPS//,/ }"
  snap "$profile-0"; c0=$(cpu_ticks "$FLOE_PID")
  # shellcheck disable=SC2086
  echo "$profile produce: $(tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" \
    --record-size 1024 --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$FLOE_PORT acks=all $props 2>/dev/null | tail -1)"
  snap "$profile-1"; c1=$(cpu_ticks "$FLOE_PID")
  echo "$profile consume: $(tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server 127.0.0.1:$FLOE_PORT --topic "$topic" \
    --messages "$RECORDS" --timeout 120000 2>/dev/null | tail -1)"
  snap "$profile-2"; c2=$(cpu_ticks "$FLOE_PID")
  diff_ops "$profile-0" "$profile-1" "$profile produce"
  diff_ops "$profile-1" "$profile-2" "$profile consume"
  diff_ops "$profile-0" "$profile-2" "$profile produce+consume"
  gib=$(python3 -c "print($RECORDS * 1024 / 2**30)")
  python3 -c "print(f'$profile server CPU s/GiB: produce {($c1 - $c0) / $hz / $gib:.1f}, consume {($c2 - $c1) / $hz / $gib:.1f}')"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "rss peak $(awk '$1 == "VmHWM:" {print $2}' "/proc/$FLOE_PID/status") KiB"
stop_pid "$FLOE_PID"
empty_bucket "$bucket"
