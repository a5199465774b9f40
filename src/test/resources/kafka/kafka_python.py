"""kafka-python 2.0.2 (Debian python3-kafka) against Floe: produce keyed records, read them back.
Usage: kafka_python.py BOOTSTRAP TOPIC COUNT [GROUP]. Prints one JSON line with what it read."""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
group = sys.argv[4] if len(sys.argv) > 4 else None

producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all')
metas = [producer.send(topic, key=('k%d' % (i % 5)).encode(), value=('py-%d' % i).encode()) for i in range(count)]
producer.flush()
offsets = [[m.get(timeout=30).partition, m.get(timeout=30).offset] for m in metas]
producer.close()

consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                         enable_auto_commit=group is not None, consumer_timeout_ms=8000)
values = [r.value.decode() for r in consumer]
if group is not None:
    consumer.commit()
consumer.close()
print(json.dumps({"produced": offsets, "read": values}))
