#!/usr/bin/env bash
# Compares Floe's Kafka listener (on Ceph radosgw) with a real Apache Kafka 4.3.1 broker (KRaft, started
# from Maven Central jars) on this machine, in one run, with Kafka's own ProducerPerformance and
# ConsumerPerformance. Prints a Markdown table for docs/BENCHMARKS.md ("Kafka protocol").
#
#   infra/bench/kafka-compare.sh                       # 1M x 100 B and 1M x 1 KiB, acks=all
#   RECORDS_SMALL=200000 RECORDS_LARGE=100000 infra/bench/kafka-compare.sh   # quicker
#   SKIP_CONSUME=1 ...                                 # producer side only
#
# Downloads go to target/kafka-bench (never committed). Needs radosgw (infra/radosgw/start.sh is run
# if it is not answering) and a JDK >= 21 (found like ./floe does).
set -euo pipefail
RECORDS_SMALL="${RECORDS_SMALL:-1000000}"
RECORDS_LARGE="${RECORDS_LARGE:-1000000}"
. "$(dirname "$0")/common.sh"
RESULTS=$WORK/results.txt
: > "$RESULTS"

fetch_kafka_jars
start_kafka
ensure_radosgw
ensure_floe_built
BUCKET=floe-kbench-$(date +%s)
create_bucket "$BUCKET"
start_floe "$BUCKET" "$WORK/floe.log"

run_pair() { # system bootstrap label records size
  local system=$1 bootstrap=$2 label=$3 n=$4 size=$5
  local topic="perf-$label-$(date +%s%N)"
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --topic "$topic" \
    --partitions "$PARTITIONS" --replication-factor 1 > /dev/null
  local p
  p=$(tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$n" --record-size "$size" \
      --throughput -1 --producer-props bootstrap.servers="$bootstrap" acks=all 2>/dev/null | tail -1)
  echo "$system $label produce: $p" | tee -a "$RESULTS"
  [ "${SKIP_CONSUME:-0}" = 1 ] && return 0
  local c
  c=$(tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
      --messages "$n" --timeout 120000 2>/dev/null | tail -1)
  echo "$system $label consume: $c" | tee -a "$RESULTS"
}

for sys in kafka floe; do
  if [ $sys = kafka ]; then b=127.0.0.1:$KAFKA_PORT; else b=127.0.0.1:$FLOE_PORT; fi
  run_pair $sys "$b" 100B "$RECORDS_SMALL" 100
  run_pair $sys "$b" 1KiB "$RECORDS_LARGE" 1024
done

# ---- table ---------------------------------------------------------------------------------------
python3 - "$RESULTS" <<'PY'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    system, label, kind = line.split()[:3]
    kind = kind.rstrip(':')
    if kind == 'produce':
        m = re.search(r'([\d.]+) records/sec \(([\d.]+) MB/sec\).*?(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th', line)
        if m:
            rows[(system, label, kind)] = dict(rps=float(m[1]), mbs=float(m[2]), p50=m[3], p99=m[5], p999=m[6])
    else:
        f = [x.strip() for x in line.split(':', 1)[1].split(',')]
        if len(f) >= 6:
            rows[(system, label, kind)] = dict(rps=float(f[5]), mbs=float(f[3]), p50='-', p99='-', p999='-')
print('| workload | system | records/s | MB/s | p50 ms | p99 ms | p99.9 ms | Floe/Kafka (records/s) |')
print('|---|---|---:|---:|---:|---:|---:|---:|')
for label in ('100B', '1KiB'):
    for kind in ('produce', 'consume'):
        k = rows.get(('kafka', label, kind)); f = rows.get(('floe', label, kind))
        for name, r in (('Kafka 4.3.1', k), ('Floe', f)):
            if r:
                ratio = '%.2f' % (f['rps'] / k['rps']) if (name == 'Floe' and k and f) else ''
                print(f"| {kind} {label} | {name} | {r['rps']:,.0f} | {r['mbs']:.1f} | {r['p50']} | {r['p99']} | {r['p999']} | {ratio} |")
PY
