"""Issue 19's scenario with kafka-python 2.0.2 (Debian python3-kafka), classic group protocol.

Usage: rebalance_commit_each.py BOOTSTRAP_A BOOTSTRAP_B TOPIC GROUP COUNT [JOIN_DELAY_S] [TIMEOUT_S]

The topic already holds COUNT records whose values are distinct. Consumer A (connected to BOOTSTRAP_A)
joins GROUP and reads, committing synchronously after each record; JOIN_DELAY_S later consumer B
(connected to BOOTSTRAP_B, which may be another Floe instance on the same bucket) joins. Both read
until every record has been seen, ignoring failed commits as applications do, then keep polling until
each owns a final share of the partitions. Prints one JSON line: seconds until all were read, commits
refused, records read twice, final partitions per member, and the client log lines about rebalances.
"""
import json
import logging
import sys
import threading
import time

from kafka import KafkaConsumer
from kafka.errors import CommitFailedError, KafkaError

bootstrap_a, bootstrap_b, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
join_delay = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
timeout = float(sys.argv[7]) if len(sys.argv) > 7 else 240.0


class Events(logging.Handler):
    """Keeps the coordinator's log lines (joins, syncs, failed commits) with a timestamp."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        msg = record.getMessage()
        if "committed offset" in msg or "Sending offset-commit" in msg or "Sending heartbeat" in msg \
                or "Received successful heartbeat" in msg:
            return
        if any(w in msg for w in ("join", "Join", "generation", "Generation", "rebalanc", "Rebalanc",
                                  "OffsetCommit", "assigned", "Heartbeat", "heartbeat")):
            self.lines.append("%.3f %s %s" % (record.created - start, record.threadName, msg))


start = time.time()
events = Events()
log = logging.getLogger("kafka.coordinator")
log.setLevel(logging.DEBUG)
log.addHandler(events)
log.propagate = False

lock = threading.Lock()
seen = {}
refused = {"A": 0, "B": 0}
failed = {"A": 0, "B": 0}
read = {"A": 0, "B": 0}
final = {}
all_read_at = [None]
done = threading.Event()


def consume(name, bootstrap, delay):
    time.sleep(delay)
    threading.current_thread().name = name
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, client_id="consumer-" + name,
                             auto_offset_reset="earliest", enable_auto_commit=False)
    try:
        while not done.is_set() and time.time() - start < timeout:
            batch = consumer.poll(timeout_ms=200)
            for tp, records in batch.items():
                for r in records:
                    with lock:
                        seen[r.value] = seen.get(r.value, 0) + 1
                        read[name] += 1
                        if len(seen) == count and all_read_at[0] is None:
                            all_read_at[0] = time.time() - start
                    try:
                        consumer.commit()
                    except CommitFailedError:
                        with lock:
                            refused[name] += 1
                    except KafkaError:
                        with lock:
                            failed[name] += 1
            # Sampled only until the run is declared settled: once it is, the other member may close and
            # leave, and the rebalance that follows is the end of the run, not its result.
            if all_read_at[0] is not None and not done.is_set():
                final[name] = sorted(tp.partition for tp in consumer.assignment())
        consumer.close()
    except Exception as e:  # noqa: BLE001 - reported, the test fails on it
        final[name + "-error"] = repr(e)


def settled():
    parts = [final.get("A"), final.get("B")]
    return all(p is not None for p in parts) and len(parts[0]) + len(parts[1]) > 0 \
        and sorted(parts[0] + parts[1]) == sorted(set(parts[0] + parts[1])) and abs(len(parts[0]) - len(parts[1])) <= 1


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
    "failed": failed,
    "final": final,
    "events": events.lines,
}))
