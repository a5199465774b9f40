#!/usr/bin/env bash
# Issue 19's scenario, side by side on this machine: kafka-python 2.0.2 member A reads a 4-partition
# topic of RECORDS records committing synchronously after each one; member B joins JOIN_DELAY seconds
# later. Runs it against a real Apache Kafka 4.3.1 broker (KRaft, Maven Central jars), against one
# Floe instance on radosgw, and against two Floe instances on one bucket (A on one, B on the other).
# Prints one JSON line per run (seconds until all read, commits refused, records read twice, final
# partitions) — the table of docs/BENCHMARKS.md "Consumer-group rebalances".
# Then (unless MEMBERS is empty) io.floe.bench.RebalanceBenchmark against Kafka and one Floe instance:
# time from the last member's JoinGroup to every member's assignment and records read twice, for
# 2, 8 and 32 Java members.
#
#   infra/bench/rebalance-compare.sh                 # 6,000 records, B joins after 1 s; 2, 8, 32 members
#   RECORDS=1200 SYSTEMS="kafka floe" MEMBERS= infra/bench/rebalance-compare.sh
set -euo pipefail
RECORDS="${RECORDS:-6000}"
MEMBERS="${MEMBERS-2,8,32}"
REPEAT="${REPEAT:-3}"
JOIN_DELAY="${JOIN_DELAY:-1}"
SYSTEMS="${SYSTEMS:-kafka floe floe2}"
PARTITIONS=4
. "$(dirname "$0")/common.sh"
PY=/usr/bin/python3
SCENARIO="$ROOT/src/test/resources/kafka/rebalance_commit_each.py"

fill() { # bootstrap topic
  "$PY" - "$1" "$2" "$RECORDS" <<'PY'
import sys
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
bootstrap, topic, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
admin = KafkaAdminClient(bootstrap_servers=bootstrap)
admin.create_topics([NewTopic(topic, 4, 1)])
admin.close()
p = KafkaProducer(bootstrap_servers=bootstrap, acks="all", retries=10)  # the new topic's leader may not be known yet
sent = [p.send(topic, key=b"key-%d" % i, value=b"v-%d" % i) for i in range(n)]
p.flush()
for f in sent:
    f.get(timeout=60)
p.close()
PY
}

run_scenario() { # label bootstrapA bootstrapB
  local topic="rebalance-$1-$(date +%s%N)"
  fill "$2" "$topic"
  local out
  out=$("$PY" "$SCENARIO" "$2" "$3" "$topic" "$topic" "$RECORDS" "$JOIN_DELAY" 300 | tail -1)
  "$PY" -c 'import json,sys; r=json.loads(sys.argv[2]); r.pop("events"); print(sys.argv[1], json.dumps(r))' "$1" "$out"
}

members_bench() { # label bootstrap
  [ -n "$MEMBERS" ] || return 0
  ./mvnw -q -B -o -Pbench exec:exec -Dbench.main=io.floe.bench.RebalanceBenchmark \
    -Dbench.jvm="-Xmx1g -XX:+UseG1GC" -Dbench.args="--bootstrap $2 --label $1 --members $MEMBERS --repeat $REPEAT"
}
[ -z "$MEMBERS" ] || ./mvnw -q -B -o -Pbench compile

for sys in $SYSTEMS; do
  case $sys in
    kafka)
      fetch_kafka_jars
      start_kafka
      run_scenario kafka 127.0.0.1:$KAFKA_PORT 127.0.0.1:$KAFKA_PORT
      members_bench kafka 127.0.0.1:$KAFKA_PORT
      stop_pid "$KAFKA_PID"
      ;;
    floe|floe2)
      ensure_radosgw
      ensure_floe_built
      BUCKET=floe-rebalance-$(date +%s)
      create_bucket "$BUCKET"
      start_floe "$BUCKET" "$WORK/floe.log"
      first=$FLOE_PID
      second_bootstrap=127.0.0.1:$FLOE_PORT
      if [ $sys = floe2 ]; then
        FLOE_PORT=$((FLOE_PORT + 1)) FLOE_HTTP=$((FLOE_HTTP + 1)) start_floe "$BUCKET" "$WORK/floe-2.log"
        second=$FLOE_PID
        second_bootstrap=127.0.0.1:$((FLOE_PORT + 1))
      fi
      run_scenario $sys 127.0.0.1:$FLOE_PORT "$second_bootstrap"
      [ $sys = floe ] && members_bench floe 127.0.0.1:$FLOE_PORT
      [ $sys = floe2 ] && stop_pid "$second"
      stop_pid "$first"
      empty_bucket "$BUCKET"
      ;;
  esac
done
