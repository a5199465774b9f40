#!/usr/bin/env bash
# The performance lab (issue 7): one command that starts radosgw (if needed), a real Apache Kafka 4.3.1
# broker and Floe (plain, then with the S3 latency models s3-standard and s3-express), runs
#   - throughput: Kafka's ProducerPerformance (1 KiB records, acks=all, 8 partitions, unthrottled)
#     then ConsumerPerformance (catch-up, one group), Floe (on radosgw, and on local files) vs Kafka,
#     with each server's CPU-seconds per GiB (user+system time of its process over each phase);
#   - the end-to-end latency probe (infra/bench/LatencyProbe.java) at 5 MB/s of 1 KiB records against
#     Kafka and Floe under each latency model;
#   each with two producer configurations, the same for both systems: "default" (Kafka's client
#   defaults, acks=all) and "batched" ($BATCHED_PROPS: larger batches, what object-storage-backed Kafka
#   services ask their users to set, since a default producer keeps at most 5 x 16 KiB per partition
#   in flight);
#   - cost accounting from Floe's store request counters (floe_store_requests_total at /q/metrics):
#     S3 requests and dollars per GiB produced, per GiB consumed, and per hour of an idle topic;
#   - Floe's RSS idle and peak;
# and writes docs/benchmarks/results.md with latency.png and throughput.png (gnuplot). A benchmark,
# not a test (STYLE.md rule 12). Takes about 10 minutes with the defaults:
#
#   infra/bench/lab.sh
#   RECORDS=100000 PROBE_SECONDS=20 IDLE_SECONDS=30 infra/bench/lab.sh     # quicker
#
# Only one system runs at a time (the machine has 2 cores, shared with radosgw). Every bucket it
# fills is emptied afterwards (radosgw keeps objects in memory). Raw output stays in target/lab.
set -euo pipefail
RECORDS="${RECORDS:-300000}"          # throughput workload, records of 1 KiB
PROBE_RATE="${PROBE_RATE:-5}"         # MB/s offered by the latency probe
PROBE_SECONDS="${PROBE_SECONDS:-40}"  # measured seconds of each probe run
PROBE_WARMUP="${PROBE_WARMUP:-5}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"    # idle window for the per-hour cost of an idle topic
MODELS="${MODELS:-none s3-express s3-standard}"
PROFILES="${PROFILES:-default batched}"
# Producer settings of the "batched" profile: 1 MiB batches, requests of up to 8 MiB.
BATCHED_PROPS="${BATCHED_PROPS:-batch.size=1048576,max.request.size=8388608,buffer.memory=67108864}"
COST_RECORDS="${COST_RECORDS:-1048576}"  # the cost-oriented run: 1 GiB of 1 KiB records
COST_SETTINGS="${COST_SETTINGS:-FLOE_FLUSH_MAX_BYTES=32M FLOE_FLUSH_MAX_LINGER=1s}"
# Floe's JVM options: FLOE_JAVA_OPTS, by default those of ./floe (common.sh), so the RSS figures are what a user gets.
export PARTITIONS=8
WORK="$(cd "$(dirname "$0")/../.." && pwd)/target/lab"
. "$(dirname "$0")/common.sh"
OUT=$ROOT/docs/benchmarks
RAW=$WORK/raw.txt
mkdir -p "$OUT"
: > "$RAW"
command -v gnuplot > /dev/null || { echo "gnuplot is missing: apt-get install gnuplot-nox" >&2; exit 1; }

fetch_kafka_jars
ensure_radosgw
ensure_floe_built

props() { # profile: the producer settings of a client profile, space-separated
  if [ "$1" = batched ]; then echo "${BATCHED_PROPS//,/ }"; fi
}

throughput() { # system bootstrap profile server-pid
  local system=$1 bootstrap=$2 profile=$3 pid=$4 topic="lab-tp-$(date +%s%N)" c0 c1
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --topic "$topic" \
    --partitions "$PARTITIONS" --replication-factor 1 > /dev/null
  [ "$system" != kafka ] && snap "$system-start-$profile"
  c0=$(cpu_ticks "$pid")
  # shellcheck disable=SC2046
  echo "tp $system $profile produce: $(tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" \
    --record-size 1024 --throughput -1 --producer-props bootstrap.servers="$bootstrap" acks=all $(props "$profile") \
    2>/dev/null | tail -1)" | tee -a "$RAW"
  c1=$(cpu_ticks "$pid")
  echo "cpu $system $profile produce $((c1 - c0)) $(getconf CLK_TCK)" >> "$RAW"
  [ "$system" != kafka ] && snap "$system-after-produce-$profile"
  echo "tp $system $profile consume: $(tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
    --messages "$RECORDS" --timeout 120000 2>/dev/null | tail -1)" | tee -a "$RAW"
  echo "cpu $system $profile consume $(($(cpu_ticks "$pid") - c1)) $(getconf CLK_TCK)" >> "$RAW"
  echo "records $system $profile $RECORDS" >> "$RAW"
  [ "$system" != kafka ] && snap "$system-after-consume-$profile"
  return 0
}

probe() { # label bootstrap profile
  local extra
  extra=$(props "$3"); extra=${extra// /,}
  echo "probe $1 $3 $("$JAVA" -Xmx512m -cp "$CP" "$ROOT/infra/bench/LatencyProbe.java" "$2" "$PROBE_RATE" 1024 \
    "$PROBE_SECONDS" "$PROBE_WARMUP" "$PARTITIONS" "$extra" 2>/dev/null | grep '^PROBE')" | tee -a "$RAW"
}

snap() { # name: Floe's store counters now
  curl -s "http://127.0.0.1:$FLOE_HTTP/q/metrics" | grep '^floe_store_' > "$WORK/metrics-$1.txt"
}

rss() { # name pid field(VmRSS|VmHWM)
  echo "rss $1 $(awk -v f="$3:" '$1 == f {print $2}' "/proc/$2/status")" | tee -a "$RAW"
}

# ---- Apache Kafka --------------------------------------------------------------------------------
start_kafka
for profile in $PROFILES; do throughput kafka 127.0.0.1:$KAFKA_PORT "$profile" "$KAFKA_PID"; done
rss kafka-peak "$KAFKA_PID" VmHWM
for profile in $PROFILES; do probe kafka 127.0.0.1:$KAFKA_PORT "$profile"; done
stop_pid "$KAFKA_PID"

# ---- Floe, each latency model --------------------------------------------------------------------
for model in $MODELS; do
  bucket=floe-lab-$model-$(date +%s)
  create_bucket "$bucket"
  JAVA_OPTS="$FLOE_JAVA_OPTS" start_floe "$bucket" "$WORK/floe-$model.log" FLOE_S3_LATENCY_MODEL="$model" MALLOC_ARENA_MAX=2
  sleep 5
  if [ "$model" = none ]; then
    rss floe-idle "$FLOE_PID" VmRSS
    for profile in $PROFILES; do throughput floe 127.0.0.1:$FLOE_PORT "$profile" "$FLOE_PID"; done
    rss floe-peak "$FLOE_PID" VmHWM
  fi
  for profile in $PROFILES; do
    snap "before-probe-$model-$profile"
    probe "floe-$model" 127.0.0.1:$FLOE_PORT "$profile"
    snap "after-probe-$model-$profile"
  done
  if [ "$model" = none ]; then
    # Two idle windows: right after the load (background work on what it left), then steady idle.
    snap idle-0
    sleep "$IDLE_SECONDS"
    snap idle-1
    sleep "$IDLE_SECONDS"
    snap idle-2
    rss floe-after-idle "$FLOE_PID" VmRSS
    rss floe-peak-all "$FLOE_PID" VmHWM
  fi
  stop_pid "$FLOE_PID"
  empty_bucket "$bucket"
done

# ---- Floe configured for cost: a 1 s linger, 32 MiB flush objects; batched producer, 1 GiB ----------
bucket=floe-lab-cost-$(date +%s)
create_bucket "$bucket"
# shellcheck disable=SC2086 # COST_SETTINGS is a list of VAR=VALUE words
JAVA_OPTS="-Xmx1g -XX:+UseSerialGC" start_floe "$bucket" "$WORK/floe-cost.log" $COST_SETTINGS MALLOC_ARENA_MAX=2
sleep 5
RECORDS=$COST_RECORDS throughput floe-cost 127.0.0.1:$FLOE_PORT batched "$FLOE_PID"
stop_pid "$FLOE_PID"
empty_bucket "$bucket"

# ---- Floe on local files (no bucket), the throughput workload only ---------------------------------
rm -rf "$WORK/files"
env FLOE_STORAGE_URL="file:$WORK/files" FLOE_KAFKA_PORT=$FLOE_PORT QUARKUS_HTTP_PORT=$FLOE_HTTP MALLOC_ARENA_MAX=2 \
  "$JAVA" $FLOE_JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar > "$WORK/floe-files.log" 2>&1 &
FLOE_PID=$!
pids+=($FLOE_PID)
wait_port 127.0.0.1 "$FLOE_PORT" 60
sleep 5
for profile in $PROFILES; do throughput floe-files 127.0.0.1:$FLOE_PORT "$profile" "$FLOE_PID"; done
stop_pid "$FLOE_PID"
rm -rf "$WORK/files"

# ---- results.md and the plots ----------------------------------------------------------------------
python3 "$ROOT/infra/bench/lab-report.py" "$WORK" "$OUT" "$RECORDS" "$PROBE_RATE" "$PROBE_SECONDS" "$PROBE_WARMUP" "$IDLE_SECONDS" \
  "$BATCHED_PROPS" "$FLOE_JAVA_OPTS" "$COST_SETTINGS"
gnuplot -e "datadir='$WORK'; outdir='$OUT'" "$ROOT/infra/bench/lab-plots.gp"
echo "wrote $OUT/results.md, $OUT/latency.png, $OUT/throughput.png"
