"""librdkafka (Debian python3-confluent-kafka) against Floe: idempotent produce, then read back by assignment.
Usage: confluent.py BOOTSTRAP TOPIC COUNT. Prints one JSON line."""
import json
import sys

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
delivered = []


def on_delivery(err, msg):
    delivered.append(None if err else [msg.partition(), msg.offset()])


p = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True, 'acks': 'all', 'linger.ms': 5})
for i in range(count):
    p.produce(topic, key=('k%d' % (i % 7)).encode(), value=('rd-%d' % i).encode(), on_delivery=on_delivery)
p.flush(30)

c = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'unused-assign-only', 'enable.auto.commit': False,
              'auto.offset.reset': 'earliest'})
md = c.list_topics(topic, timeout=10)
parts = sorted(md.topics[topic].partitions.keys())
c.assign([TopicPartition(topic, p, 0) for p in parts])
values = []
idle = 0
while len(values) < count and idle < 20:
    msg = c.poll(0.5)
    if msg is None:
        idle += 1
        continue
    if msg.error():
        print(json.dumps({"error": str(msg.error())}))
        sys.exit(1)
    values.append(msg.value().decode())
c.close()
print(json.dumps({"delivered": delivered, "read": values, "partitions": len(parts)}))
