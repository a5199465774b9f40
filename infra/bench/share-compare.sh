#!/usr/bin/env bash
# Share groups (KIP-932) side by side on this machine: io.floe.bench.ShareBenchmark against Floe (in the
# benchmark's JVM, on a fresh radosgw bucket, store requests counted) and against a real Apache Kafka
# 4.3.1 broker (KRaft, Maven Central jars) in the same run, with the same KafkaShareConsumer code:
# 1, 4 and 16 consumers draining RECORDS records, then the redelivery latency after a lock timeout.
# The table of docs/BENCHMARKS.md "Share groups".
#
#   infra/bench/share-compare.sh                      # 20,000 records of 100 B, 16 partitions
#   RECORDS=5000 infra/bench/share-compare.sh
set -euo pipefail
RECORDS="${RECORDS:-20000}"
. "$(dirname "$0")/common.sh"

fetch_kafka_jars
ensure_radosgw
./mvnw -q -B -o -Pbench compile
./mvnw -q -B -o -Pbench dependency:build-classpath -Dmdep.outputFile="$WORK/share-cp.txt" -Dmdep.includeScope=test
start_kafka
"$JAVA" -Xmx768m -cp "target/classes:$(cat "$WORK/share-cp.txt")" io.floe.bench.ShareBenchmark \
  --records "$RECORDS" --kafka 127.0.0.1:$KAFKA_PORT
stop_pid "$KAFKA_PID"
