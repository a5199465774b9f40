"""The tutorial's transactional producer with librdkafka (Debian python3-confluent-kafka) against Floe:
one transaction committed, one aborted, then the topic read with read_committed and read_uncommitted.
Usage: confluent_txn.py BOOTSTRAP TOPIC COUNT. Prints one JSON line."""
import json
import sys

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])

producer = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'enable.idempotence': True,
                     'transactional.id': 'my-producer-1'})
producer.init_transactions(30)

producer.begin_transaction()
for i in range(count):
    producer.produce(topic, key=('k%d' % i).encode(), value=('committed-%d' % i).encode())
producer.commit_transaction(30)

producer.begin_transaction()
for i in range(count):
    producer.produce(topic, key=('k%d' % i).encode(), value=('aborted-%d' % i).encode())
producer.flush(30)
producer.abort_transaction(30)


def read(isolation, expected):
    c = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'unused-assign-only', 'enable.auto.commit': False,
                  'auto.offset.reset': 'earliest', 'isolation.level': isolation})
    md = c.list_topics(topic, timeout=10)
    c.assign([TopicPartition(topic, p, 0) for p in sorted(md.topics[topic].partitions.keys())])
    values = []
    idle = 0
    while idle < (6 if len(values) >= expected else 40):
        msg = c.poll(0.5)
        if msg is None:
            idle += 1
            continue
        if msg.error():
            if msg.error().code() == -191:  # _PARTITION_EOF
                continue
            print(json.dumps({"error": str(msg.error())}))
            sys.exit(1)
        values.append(msg.value().decode())
    c.close()
    return values


print(json.dumps({"read_committed": read('read_committed', count),
                  "read_uncommitted": read('read_uncommitted', 2 * count)}))
