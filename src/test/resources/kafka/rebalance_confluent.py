"""Issue 19's scenario with librdkafka (Debian python3-confluent-kafka), classic group protocol.

Usage: rebalance_confluent.py BOOTSTRAP_A BOOTSTRAP_B TOPIC GROUP COUNT [JOIN_DELAY_S] [TIMEOUT_S]

As rebalance_commit_each.py: consumer A reads committing synchronously after each record, B joins
JOIN_DELAY_S later, both read until every record was seen and each owns a final share of the
partitions. A commit librdkafka refuses is counted; the application then goes on as kafka-python's
do. Prints one JSON line.
"""
import json
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaException

bootstrap_a, bootstrap_b, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
join_delay = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
timeout = float(sys.argv[7]) if len(sys.argv) > 7 else 240.0

start = time.time()
lock = threading.Lock()
seen = {}
refused = {"A": 0, "B": 0}
read = {"A": 0, "B": 0}
final = {}
events = []
all_read_at = [None]
done = threading.Event()


def consume(name, bootstrap, delay):
    time.sleep(delay)
    assigned = []

    def on_assign(consumer, partitions):
        assigned[:] = sorted(p.partition for p in partitions)
        events.append("%.3f %s assigned %s" % (time.time() - start, name, assigned))

    def on_revoke(consumer, partitions):
        events.append("%.3f %s revoked %s" % (time.time() - start, name, sorted(p.partition for p in partitions)))
        assigned[:] = []

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "client.id": "consumer-" + name,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "session.timeout.ms": 10000, "heartbeat.interval.ms": 1000})
    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    try:
        while not done.is_set() and time.time() - start < timeout:
            msg = consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                with lock:
                    seen[msg.value()] = seen.get(msg.value(), 0) + 1
                    read[name] += 1
                    if len(seen) == count and all_read_at[0] is None:
                        all_read_at[0] = time.time() - start
                try:
                    consumer.commit(message=msg, asynchronous=False)
                except KafkaException as e:
                    with lock:
                        refused[name] += 1
                    events.append("%.3f %s commit refused: %s" % (time.time() - start, name, e))
            # Sampled only until the run is declared settled: once it is, the other member may close and
            # leave, and the rebalance that follows is the end of the run, not its result.
            if all_read_at[0] is not None and not done.is_set():
                final[name] = list(assigned)
        consumer.close()
    except Exception as e:  # noqa: BLE001 - reported, the test fails on it
        final[name + "-error"] = repr(e)


def settled():
    a, b = final.get("A"), final.get("B")
    return a is not None and b is not None and len(a) + len(b) > 0 and not set(a) & set(b) \
        and abs(len(a) - len(b)) <= 1


threads = [threading.Thread(target=consume, args=("A", bootstrap_a, 0.0)),
           threading.Thread(target=consume, args=("B", bootstrap_b, join_delay))]
for t in threads:
    t.start()
while time.time() - start < timeout:
    if all_read_at[0] is not None and settled():
        break
    time.sleep(0.1)
done.set()
for t in threads:
    t.join(60)

print(json.dumps({
    "seconds": all_read_at[0],
    "distinct": len(seen),
    "read": read,
    "read_twice": sum(n - 1 for n in seen.values()),
    "refused": refused,
    "failed": {"A": 0, "B": 0},
    "final": final,
    "events": events,
}))
