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
cd "$(dirname "$0")/../.."
ROOT=$PWD
. ./.mvn/find-jdk.sh
JAVA="$JAVA_HOME/bin/java"

RECORDS_SMALL="${RECORDS_SMALL:-1000000}"
RECORDS_LARGE="${RECORDS_LARGE:-1000000}"
PARTITIONS="${PARTITIONS:-6}"
KAFKA_VERSION=4.3.1
WORK=$ROOT/target/kafka-bench
KAFKA_PORT=29092
FLOE_PORT=19092
FLOE_HTTP=18080
S3=${FLOE_BENCH_S3:-http://127.0.0.1:7480}
mkdir -p "$WORK"
RESULTS=$WORK/results.txt
: > "$RESULTS"

# ---- Kafka jars (not committed) ----------------------------------------------------------------
if [ ! -d "$WORK/lib" ]; then
  cat > "$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>kafka-bench</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
  ./mvnw -q -B -f "$WORK/pom.xml" dependency:copy-dependencies -DoutputDirectory="$WORK/lib"
fi
CP="$WORK/lib/*"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_port() { # host port seconds
  for _ in $(seq 1 "$3"); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "nothing listens on $1:$2" >&2; return 1
}

# ---- a real Kafka broker, KRaft, one node --------------------------------------------------------
rm -rf "$WORK/kafka-data"
cat > "$WORK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:29093
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:29093
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$WORK/kafka-data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=$PARTITIONS
PROPS
CLUSTER=$("$JAVA" -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
"$JAVA" -cp "$CP" kafka.tools.StorageTool format -t "$CLUSTER" -c "$WORK/server.properties" > "$WORK/format.log" 2>&1
"$JAVA" -Xmx1g -cp "$CP" kafka.Kafka "$WORK/server.properties" > "$WORK/kafka.log" 2>&1 &
pids+=($!)

# ---- Floe on radosgw ----------------------------------------------------------------------------
if ! curl -s -o /dev/null "$S3"; then infra/radosgw/start.sh; fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
BUCKET=floe-kbench-$(date +%s)
"$JAVA" -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*" "$ROOT/infra/bench/CreateBucket.java" "$S3" "$BUCKET"
FLOE_STORAGE_URL="s3://$BUCKET" FLOE_S3_ENDPOINT="$S3" FLOE_S3_PATH_STYLE=true FLOE_S3_ACCESS_KEY=floe \
  FLOE_S3_SECRET_KEY=floe-secret FLOE_KAFKA_PORT=$FLOE_PORT QUARKUS_HTTP_PORT=$FLOE_HTTP \
  "$JAVA" -Xmx1g -jar target/quarkus-app/quarkus-run.jar > "$WORK/floe.log" 2>&1 &
pids+=($!)

wait_port 127.0.0.1 $KAFKA_PORT 60
wait_port 127.0.0.1 $FLOE_PORT 60

tool() { "$JAVA" -Xmx1g -cp "$CP" "$@"; }

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
