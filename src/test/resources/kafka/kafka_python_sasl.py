"""kafka-python 2.0.2 (Debian python3-kafka) over SASL: produce records, read them back in a group.
Usage: kafka_python_sasl.py BOOTSTRAP TOPIC COUNT GROUP MECHANISM USER PASSWORD [CAFILE]
(with CAFILE: SASL_SSL, else SASL_PLAINTEXT). Prints one JSON line with what it read, or the error."""
import json
import os
import sys

from kafka import KafkaConsumer, KafkaProducer

bootstrap, topic, count, group, mechanism, user, password = sys.argv[1:8]
count = int(count)
security = dict(security_protocol='SASL_PLAINTEXT', sasl_mechanism=mechanism, sasl_plain_username=user,
                sasl_plain_password=password)
if len(sys.argv) > 8:
    security.update(security_protocol='SASL_SSL', ssl_cafile=sys.argv[8], ssl_check_hostname=False)
try:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all',
                             max_block_ms=int(os.environ.get('MAX_BLOCK_MS', '60000')), **security)
    metas = [producer.send(topic, key=('k%d' % (i % 5)).encode(), value=('py-%d' % i).encode()) for i in range(count)]
    producer.flush()
    offsets = [[m.get(timeout=30).partition, m.get(timeout=30).offset] for m in metas]
    producer.close()
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                             enable_auto_commit=False, consumer_timeout_ms=8000, **security)
    values = [r.value.decode() for r in consumer]
    consumer.commit()
    consumer.close()
    print(json.dumps({"produced": offsets, "read": values}))
except Exception as e:  # the test asserts on the error's class name
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
