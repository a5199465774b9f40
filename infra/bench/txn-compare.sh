#!/usr/bin/env bash
# Transactional against idempotent produce with the Java client, on Floe (in the benchmark's JVM, on Ceph
# radosgw, store requests counted) and on a real Apache Kafka 4.3.1 broker (KRaft) in the same run.
# Prints RESULT lines for docs/BENCHMARKS.md ("Transactions").
#
#   infra/bench/txn-compare.sh                  # 64 MiB per workload, 1 MiB transactions of 1 KiB records
#   MIB=256 TXN_KIB=1024 infra/bench/txn-compare.sh
set -euo pipefail
MIB="${MIB:-64}"
TXN_KIB="${TXN_KIB:-1024}"
PARTITIONS=4
. "$(dirname "$0")/common.sh"

# Another session's broker on the same ports would answer in our place and mix its results with ours.
for port in "$KAFKA_PORT" 29093; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (another Kafka broker?); stop it first" >&2; exit 1
  fi
done
fetch_kafka_jars
start_kafka
ensure_radosgw
./mvnw -q -B -Pbench compile exec:exec -Dbench.main=io.floe.bench.TxnBenchmark \
  -Dbench.args="--kafka 127.0.0.1:$KAFKA_PORT --mib $MIB --txn-kib $TXN_KIB --partitions $PARTITIONS" 2>&1 \
  | grep -E '^(RESULT|Floe on)'
