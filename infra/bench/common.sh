# Shared by the benchmark scripts of infra/bench (sourced, not run): the JDK, the Kafka 4.3.1 jars
# from Maven Central, a one-node KRaft broker, Floe on radosgw, and clean-up of what was started.
# The sourcing script sets `set -euo pipefail` and may set WORK, PARTITIONS before sourcing.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
. ./.mvn/find-jdk.sh
JAVA="$JAVA_HOME/bin/java"

KAFKA_VERSION=4.3.1
WORK="${WORK:-$ROOT/target/kafka-bench}"
PARTITIONS="${PARTITIONS:-6}"
KAFKA_PORT=29092
FLOE_PORT=${FLOE_PORT:-19092}
FLOE_HTTP=${FLOE_HTTP:-18080}
S3=${FLOE_BENCH_S3:-http://127.0.0.1:7480}
JARS="$ROOT/target/kafka-bench/lib"   # shared by every script; never committed
CP="$JARS/*"
FLOE_CP="target/quarkus-app/app/*:target/quarkus-app/lib/main/*"
# Floe's JVM options in the scripts that measure its CPU or memory: by default ./floe's, what a user runs.
FLOE_JAVA_OPTS="${FLOE_JAVA_OPTS:-$(sed -n '/^default_opts=/,/"$/p' "$ROOT/floe" | tr -d '\\\n"' | sed 's/^default_opts=//')}"
mkdir -p "$WORK"

# ---- Kafka jars (not committed) ----------------------------------------------------------------
fetch_kafka_jars() {
  [ -d "$JARS" ] && return 0
  mkdir -p "$ROOT/target/kafka-bench"
  cat > "$ROOT/target/kafka-bench/pom.xml" <<POM
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
  ./mvnw -q -B -f "$ROOT/target/kafka-bench/pom.xml" dependency:copy-dependencies -DoutputDirectory="$JARS"
}

# ---- processes we start, stopped on exit ---------------------------------------------------------
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

stop_pid() { # pid: SIGTERM, wait for it to exit
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

tool() { "$JAVA" -Xmx1g -cp "$CP" "$@"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # a process's user + system time so far, clock ticks

# ---- a real Kafka broker, KRaft, one node; sets KAFKA_PID ----------------------------------------
start_kafka() {
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
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=$PARTITIONS
PROPS
  local cluster
  cluster=$("$JAVA" -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  "$JAVA" -cp "$CP" kafka.tools.StorageTool format -t "$cluster" -c "$WORK/server.properties" > "$WORK/format.log" 2>&1
  "$JAVA" -Xmx1g -cp "$CP" kafka.Kafka "$WORK/server.properties" > "$WORK/kafka.log" 2>&1 &
  KAFKA_PID=$!
  pids+=($KAFKA_PID)
  wait_port 127.0.0.1 $KAFKA_PORT 60
}

# ---- Floe on radosgw ----------------------------------------------------------------------------
ensure_radosgw() {
  if ! curl -s -o /dev/null "$S3"; then infra/radosgw/start.sh; fi
}

ensure_floe_built() {
  [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
}

create_bucket() { "$JAVA" -cp "$FLOE_CP" "$ROOT/infra/bench/CreateBucket.java" "$S3" "$1"; }
empty_bucket() { "$JAVA" -cp "$FLOE_CP" "$ROOT/infra/bench/EmptyBucket.java" "$S3" "$1"; }

# start_floe BUCKET LOG [VAR=VALUE ...]: Floe on s3://BUCKET, Kafka on $FLOE_PORT, HTTP on $FLOE_HTTP;
# extra settings as environment variables; JVM options from $JAVA_OPTS (default -Xmx1g). Sets FLOE_PID.
start_floe() {
  local bucket=$1 log=$2; shift 2
  env FLOE_STORAGE_URL="s3://$bucket" FLOE_S3_ENDPOINT="$S3" FLOE_S3_PATH_STYLE=true FLOE_S3_ACCESS_KEY=floe \
    FLOE_S3_SECRET_KEY=floe-secret FLOE_KAFKA_PORT=$FLOE_PORT QUARKUS_HTTP_PORT=$FLOE_HTTP "$@" \
    "$JAVA" ${JAVA_OPTS:--Xmx1g} -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
  FLOE_PID=$!
  pids+=($FLOE_PID)
  wait_port 127.0.0.1 $FLOE_PORT 60
}
