#!/usr/bin/env bash
# Server CPU-seconds per GiB, Floe beside Apache Kafka 4.3.1 in one run (issue 14, target 1): the lab's
# throughput workload (ProducerPerformance, RECORDS x 1 KiB, acks=all, 8 partitions, then
# ConsumerPerformance) against a one-node KRaft broker, Floe on local files and Floe on radosgw, one
# after the other, each server alone on the machine. CPU is the server process's user+system time over
# each phase (/proc/<pid>/stat), so the client's CPU is not counted; for Floe on radosgw, radosgw's own
# CPU is not counted either (as S3's is not, in production). Prints a Markdown table with ratios to
# Kafka, which is what to compare on a noisy machine.
#
#   infra/bench/cpu-per-gib.sh                          # batched producer, 300,000 records, all three
#   PROFILE=default SYSTEMS="kafka files" infra/bench/cpu-per-gib.sh
#   JFR=1 infra/bench/cpu-per-gib.sh                    # also records Floe with JFR (target/cpu-per-gib/*.jfr),
#       with jdk.CPUTimeSample (CPU-time sampling of every thread, virtual threads' carriers included;
#       JDK 25); infra/bench/jfr-window.py gives sample shares within one phase
#   SYSTEMS="kafka floe-before floe" FLOE_BEFORE=/tmp/old/target/quarkus-app infra/bench/cpu-per-gib.sh
#       (floe = files; floe-before: an older build on local files, e.g. from `git archive <commit>`)
set -euo pipefail
RECORDS="${RECORDS:-300000}"
PROFILE="${PROFILE:-batched}"
SYSTEMS="${SYSTEMS:-${SERVERS:-kafka files s3}}"
BATCHED_PROPS="batch.size=1048576 max.request.size=8388608 buffer.memory=67108864 linger.ms=5"
export PARTITIONS=8
export FLOE_PORT=${FLOE_PORT:-19143} FLOE_HTTP=${FLOE_HTTP:-18143}
WORK="$(cd "$(dirname "$0")/../.." && pwd)/target/cpu-per-gib"
. "$(dirname "$0")/common.sh"
fetch_kafka_jars
ensure_floe_built
hz=$(getconf CLK_TCK)
gib=$(python3 -c "print($RECORDS * 1024 / 2**30)")
props=""; [ "$PROFILE" = batched ] && props="$BATCHED_PROPS"
rows=()

measure() { # system pid bootstrap
  local system=$1 pid=$2 bootstrap=$3 topic="cpu-$PROFILE-$(date +%s%N)"
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --topic "$topic" \
    --partitions 8 --replication-factor 1 > /dev/null
  sleep 2
  local l0 c0 c1 c2 p c
  l0=$(cut -d' ' -f1 /proc/loadavg); c0=$(cpu_ticks "$pid")
  # shellcheck disable=SC2086
  p=$(tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" --record-size 1024 \
      --throughput -1 --producer-props bootstrap.servers="$bootstrap" acks=all $props 2>/dev/null | tail -1)
  c1=$(cpu_ticks "$pid")
  c=$(tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
      --messages "$RECORDS" --timeout 120000 2>/dev/null | tail -1)
  c2=$(cpu_ticks "$pid")
  echo "$system produce: $p"
  echo "$system consume: $c"
  rows+=("$(python3 - "$system" "$p" "$c" "$c0" "$c1" "$c2" "$hz" "$gib" "$l0" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import re, sys
system, p, c, c0, c1, c2, hz, gib, l0, l1 = sys.argv[1:]
mbs_p = float(re.search(r'\(([0-9.]+) MB/sec\)', p).group(1))
mbs_c = float(c.split(',')[3])
cp = (float(c1) - float(c0)) / float(hz) / float(gib)
cc = (float(c2) - float(c1)) / float(hz) / float(gib)
print(f"{system}|{mbs_p:.1f}|{mbs_c:.1f}|{cp:.2f}|{cc:.2f}|{l0} → {l1}")
PY
)")
}

for system in $SYSTEMS; do
  case $system in
    kafka)
      start_kafka
      measure kafka "$KAFKA_PID" 127.0.0.1:$KAFKA_PORT
      stop_pid "$KAFKA_PID"; rm -rf "$WORK/kafka-data" ;;
    files|floe|floe-before|s3)
      jfr=""
      [ "${JFR:-0}" = 1 ] && jfr="-XX:StartFlightRecording=settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms,filename=$WORK/floe-$system.jfr"
      app=target/quarkus-app; [ "$system" = floe-before ] && app=$FLOE_BEFORE
      if [ "$system" != s3 ]; then
        rm -rf "$WORK/data"
        env FLOE_STORAGE_URL="file:$WORK/data" FLOE_KAFKA_PORT=$FLOE_PORT QUARKUS_HTTP_PORT=$FLOE_HTTP MALLOC_ARENA_MAX=2 \
          "$JAVA" $FLOE_JAVA_OPTS $jfr -jar "$app/quarkus-run.jar" > "$WORK/floe-$system.log" 2>&1 &
        FLOE_PID=$!; pids+=($FLOE_PID)
        wait_port 127.0.0.1 $FLOE_PORT 60
      else
        ensure_radosgw
        bucket=floe-cpu-$(date +%s); create_bucket "$bucket"
        JAVA_OPTS="$FLOE_JAVA_OPTS $jfr" start_floe "$bucket" "$WORK/floe-s3.log" MALLOC_ARENA_MAX=2
      fi
      sleep 3
      measure "floe-$system" "$FLOE_PID" 127.0.0.1:$FLOE_PORT
      stop_pid "$FLOE_PID"
      if [ "$system" != s3 ]; then rm -rf "$WORK/data"; else empty_bucket "$bucket"; fi ;;
  esac
done

echo
echo "$RECORDS x 1 KiB, $PROFILE producer, 8 partitions; $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores"
echo
echo "| server | produce MB/s | consume MB/s | CPU s/GiB produce | CPU s/GiB consume | ÷ Kafka produce | ÷ Kafka consume | load |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
kp=""; kc=""
for r in "${rows[@]}"; do
  IFS='|' read -r s mp mc cp cc load <<< "$r"
  if [ "$s" = kafka ]; then kp=$cp; kc=$cc; fi
  rp="—"; rc="—"
  if [ -n "$kp" ]; then rp=$(python3 -c "print(f'{$cp / $kp:.2f}')"); rc=$(python3 -c "print(f'{$cc / $kc:.2f}')"); fi
  echo "| $s | $mp | $mc | $cp | $cc | $rp | $rc | $load |"
done
