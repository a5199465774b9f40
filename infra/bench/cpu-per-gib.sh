#!/usr/bin/env bash
# Server CPU-seconds per GiB produced and consumed (issue 14, target 1), Kafka 4.3.1 and Floe on local
# files side by side in one run: the lab's throughput workload (ProducerPerformance, RECORDS x 1 KiB,
# acks=all, 8 partitions, batched producer, then ConsumerPerformance) against a one-node KRaft broker,
# then against Floe (FLOE_STORAGE_URL=file:…, ./floe's JVM options); server CPU = the server process's
# user+system time over each phase (/proc/<pid>/stat). Times depend on the machine's load (printed).
#
#   infra/bench/cpu-per-gib.sh                       # Kafka, then Floe
#   SERVERS=floe FLOE_JFR=/tmp/floe.jfr infra/bench/cpu-per-gib.sh   # Floe alone, with a JFR recording
#     (jdk.CPUTimeSample: CPU-time sampling of every thread, virtual threads' carriers included; JDK 25)
#   SERVERS="kafka floe floe-before" FLOE_BEFORE=/tmp/old/target/quarkus-app infra/bench/cpu-per-gib.sh
#     (also an older build of Floe, e.g. from `git archive <commit>`, for a before/after in one run)
set -euo pipefail
RECORDS="${RECORDS:-300000}"
SERVERS="${SERVERS:-kafka floe}"
PROPS="${PROPS:-batch.size=1048576 max.request.size=8388608 buffer.memory=67108864}"
FLOE_JAVA_OPTS="${FLOE_JAVA_OPTS:-$(sed -n '/^default_opts=/,/"$/p' "$(dirname "$0")/../../floe" | tr -d '\\\n"' | sed 's/^default_opts=//')}"
export PARTITIONS=8
export FLOE_PORT=${FLOE_PORT:-19152} FLOE_HTTP=${FLOE_HTTP:-18152}
WORK="$(cd "$(dirname "$0")/../.." && pwd)/target/cpu-per-gib"
. "$(dirname "$0")/common.sh"
fetch_kafka_jars
ensure_floe_built
hz=$(getconf CLK_TCK)
gib=$(python3 -c "print($RECORDS * 1024 / 2**30)")
load() { cut -d' ' -f1-3 /proc/loadavg; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, clock ticks

run() { # name pid port
  local topic="cpg-$(date +%s%N)" c0 c1 c2 l0 l1 p c
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$3 --create --topic "$topic" \
    --partitions 8 --replication-factor 1 > /dev/null
  sleep 2
  l0=$(load); c0=$(cpu "$2")
  # shellcheck disable=SC2086
  p=$(tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" --record-size 1024 \
    --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$3 acks=all $PROPS 2>/dev/null | tail -1)
  c1=$(cpu "$2"); l1=$(load)
  c=$(tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server 127.0.0.1:$3 --topic "$topic" \
    --messages "$RECORDS" --timeout 120000 2>/dev/null | tail -1)
  c2=$(cpu "$2")
  echo "$1 produce: $p"
  echo "$1 consume: $c"
  python3 -c "print(f'$1 server CPU s/GiB: produce {($c1 - $c0) / $hz / $gib:.2f}, consume {($c2 - $c1) / $hz / $gib:.2f}')"
  echo "$1 load before produce: $l0; before consume: $l1; after: $(load)"
}

for server in $SERVERS; do
  case $server in
    kafka)
      start_kafka
      run kafka "$KAFKA_PID" $KAFKA_PORT
      stop_pid "$KAFKA_PID"
      rm -rf "$WORK/kafka-data" ;;
    floe|floe-before)
      app=target/quarkus-app; [ "$server" = floe-before ] && app=$FLOE_BEFORE
      rm -rf "$WORK/floe-data"; mkdir -p "$WORK/floe-data"
      jfr=""; [ -n "${FLOE_JFR:-}" ] && jfr="-XX:StartFlightRecording=settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms,filename=$FLOE_JFR"
      env FLOE_STORAGE_URL="file:$WORK/floe-data" FLOE_KAFKA_PORT=$FLOE_PORT QUARKUS_HTTP_PORT=$FLOE_HTTP MALLOC_ARENA_MAX=2 \
        "$JAVA" $FLOE_JAVA_OPTS $jfr -jar "$app/quarkus-run.jar" > "$WORK/floe.log" 2>&1 &
      FLOE_PID=$!
      pids+=($FLOE_PID)
      wait_port 127.0.0.1 $FLOE_PORT 60
      sleep 3
      run "$server" "$FLOE_PID" $FLOE_PORT
      stop_pid "$FLOE_PID"
      rm -rf "$WORK/floe-data" ;;
  esac
done
