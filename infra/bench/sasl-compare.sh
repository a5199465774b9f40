#!/usr/bin/env bash
# Issue 13's performance target: produce and consume over SASL_SSL (SCRAM-SHA-256 over TLS, ACLs on)
# against plaintext, same Floe build, same radosgw, in one run, with Kafka's own ProducerPerformance and
# ConsumerPerformance. Rounds alternate (plaintext, SASL_SSL, plaintext, SASL_SSL) so that drift on a
# shared machine hits both alike; each round also counts the store requests Floe made
# (floe_store_requests_total before and after), to show that authentication and authorization add none.
# Prints a Markdown table for docs/BENCHMARKS.md ("Security").
#
#   infra/bench/sasl-compare.sh                  # 200,000 x 1 KiB per round, 2 rounds each
#   RECORDS=50000 ROUNDS=1 infra/bench/sasl-compare.sh
set -euo pipefail
RECORDS="${RECORDS:-200000}"
ROUNDS="${ROUNDS:-2}"
WORK="${WORK:-$(cd "$(dirname "$0")/../.." && pwd)/target/sasl-bench}"
. "$(dirname "$0")/common.sh"
RESULTS=$WORK/results.txt
: > "$RESULTS"

fetch_kafka_jars
ensure_radosgw
ensure_floe_built

# ---- a CA and a server certificate for 127.0.0.1, PEM (the key PKCS#8, as Floe reads it) ---------------
TLS=$WORK/tls
rm -rf "$TLS"; mkdir -p "$TLS"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=floe-bench-ca" \
  -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$TLS/server.key" -out "$TLS/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$TLS/san.ext"
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 2 \
  -extfile "$TLS/san.ext" -out "$TLS/server.pem" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$TLS/server.key" -out "$TLS/server-pkcs8.key"

PASSWORD="bench-$(date +%s%N)"
cat > "$WORK/sasl.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-256
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$PASSWORD";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.pem
PROPS
: > "$WORK/plain.properties"

store_requests() { # scheme: the sum of floe_store_requests_total, then each operation's count
  curl -s -k "$1://127.0.0.1:$FLOE_HTTP/q/metrics" | awk '/^floe_store_requests_total/ {
      s += $NF; match($0, /operation="[A-Z_]+"/); op = substr($0, RSTART + 11, RLENGTH - 12); n[op] += $NF }
    END { printf "%d", s; for (op in n) printf " %s=%d", op, n[op]; printf "\n" }'
}

round() { # mode round
  local mode=$1 r=$2 bucket scheme props
  bucket=floe-sbench-${mode/_/-}-$r-$(date +%s)
  create_bucket "$bucket"
  if [ "$mode" = sasl_ssl ]; then
    start_floe "$bucket" "$WORK/floe-$mode-$r.log" FLOE_AUTH_ENABLED=true FLOE_AUTH_ADMIN_PASSWORD="$PASSWORD" \
      FLOE_TLS_CERTIFICATE_FILE="$TLS/server.pem" FLOE_TLS_KEY_FILE="$TLS/server-pkcs8.key"
    scheme=https props=$WORK/sasl.properties
  else
    start_floe "$bucket" "$WORK/floe-$mode-$r.log"
    scheme=http props=$WORK/plain.properties
  fi
  local topic="perf-$r" before after p c
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$FLOE_PORT --command-config "$props" \
    --create --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1 > /dev/null
  before=$(store_requests $scheme)
  p=$(tool org.apache.kafka.tools.ProducerPerformance --topic "$topic" --num-records "$RECORDS" --record-size 1024 \
      --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$FLOE_PORT acks=all \
      --producer.config "$props" 2>/dev/null | tail -1)
  c=$(tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server 127.0.0.1:$FLOE_PORT --topic "$topic" \
      --messages "$RECORDS" --timeout 120000 --consumer.config "$props" 2>/dev/null | tail -1)
  after=$(store_requests $scheme)
  echo "$mode $r produce: $p" | tee -a "$RESULTS"
  echo "$mode $r consume: $c" | tee -a "$RESULTS"
  echo "$mode $r requests: $((${after%% *} - ${before%% *})) (before: $before; after: $after)" | tee -a "$RESULTS"
  stop_pid "$FLOE_PID"
  empty_bucket "$bucket"
}

for r in $(seq 1 "$ROUNDS"); do
  round plaintext "$r"
  round sasl_ssl "$r"
done

# ---- table ---------------------------------------------------------------------------------------
python3 - "$RESULTS" <<'PY'
import re, sys
from collections import defaultdict
prod, cons, reqs = defaultdict(list), defaultdict(list), defaultdict(list)
for line in open(sys.argv[1]):
    mode, _, kind = line.split()[:3]
    if kind == 'produce:':
        m = re.search(r'\(([\d.]+) MB/sec\)', line)
        if m: prod[mode].append(float(m[1]))
    elif kind == 'consume:':
        # ConsumerPerformance: start, end, data.consumed.in.MB, MB.sec, ...
        f = [x.strip() for x in line.split(':', 1)[1].split(',')]
        if len(f) > 3: cons[mode].append(float(f[3]))
    elif kind == 'requests:':
        reqs[mode].append(int(line.split()[3]))
avg = lambda xs: sum(xs) / len(xs) if xs else float('nan')
print('| | plaintext | SASL_SSL | SASL_SSL / plaintext |')
print('|---|---:|---:|---:|')
for name, d in (('produce MB/s', prod), ('consume MB/s', cons)):
    a, b = avg(d['plaintext']), avg(d['sasl_ssl'])
    print(f'| {name} (mean of {len(d["plaintext"])}) | {a:.1f} | {b:.1f} | **{b / a:.2f}** |')
a, b = avg(reqs['plaintext']), avg(reqs['sasl_ssl'])
print(f'| store requests per round | {a:.0f} | {b:.0f} | {b / a:.2f} |')
PY
