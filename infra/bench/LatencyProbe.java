import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency probe for any Kafka-protocol server (Floe or Apache Kafka); a benchmark, not a
 * test (STYLE.md rule 12), run by infra/bench/lab.sh with kafka-clients on the class path:
 *
 *   java -cp 'target/kafka-bench/lib/*' infra/bench/LatencyProbe.java BOOTSTRAP [RATE_MB_S] [RECORD_BYTES]
 *        [SECONDS] [WARMUP_SECONDS] [PARTITIONS] [PRODUCER_PROPS k=v,k=v]
 *
 * Open loop: records are sent on a fixed schedule giving RATE_MB_S (MB = 10^6 bytes), acks=all, and
 * every latency counts from the record's SCHEDULED send time, so a stalled server is not hidden by a
 * producer that stops sending (no coordinated omission). Each record carries its scheduled time
 * (System.nanoTime, one JVM); a consumer in a fresh group, subscribed before the first send,
 * measures receive time minus that stamp. Records scheduled in the warm-up are not counted. Prints
 * one line: "PROBE produce p50 p99 p999 max e2e p50 p99 p999 max sent acked received" (ms).
 * Threads: main schedules and sends; the producer's I/O thread records acks; one consumer thread.
 */
public class LatencyProbe {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        double rateMb = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int partitions = args.length > 5 ? Integer.parseInt(args[5]) : 8;
        String producerProps = args.length > 6 ? args[6] : ""; // k=v,k=v: added to (or overriding) the defaults
        String topic = "probe-" + System.currentTimeMillis();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        long perSecond = Math.round(rateMb * 1e6 / size);
        int total = (int) (perSecond * (seconds + warmup));
        long intervalNanos = 1_000_000_000L / perSecond;
        long[] ack = new long[total];
        long[] e2e = new long[total];
        Arrays.fill(ack, -1);
        Arrays.fill(e2e, -1);
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicLong assigned = new AtomicLong();
        long[] start = new long[1];

        Thread consumerThread = new Thread(() -> {
            Properties c = new Properties();
            c.put("bootstrap.servers", bootstrap);
            c.put("group.id", "probe-" + System.nanoTime());
            c.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = Long.MAX_VALUE;
                while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                    var records = consumer.poll(Duration.ofMillis(50));
                    long now = System.nanoTime();
                    if (!consumer.assignment().isEmpty()) {
                        assigned.set(1);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        ByteBuffer b = ByteBuffer.wrap(r.value());
                        int index = b.getInt();
                        long stamp = b.getLong();
                        if (index >= 0 && index < total && e2e[index] < 0) {
                            e2e[index] = now - stamp;
                            if (received.incrementAndGet() == total) {
                                deadline = 0;
                            }
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // asked to stop
            }
        }, "probe-consumer");
        consumerThread.start();
        long waitUntil = System.nanoTime() + 30_000_000_000L;
        while (assigned.get() == 0 && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        Thread.sleep(500);

        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "5");
        for (String kv : producerProps.split(",")) {
            if (!kv.isBlank()) {
                p.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            start[0] = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long scheduled = start[0] + i * intervalNanos;
                long wait = scheduled - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = new byte[size];
                ByteBuffer.wrap(value).putInt(i).putLong(scheduled);
                int index = i;
                producer.send(new ProducerRecord<>(topic, value), (md, ex) -> {
                    if (ex == null) {
                        ack[index] = System.nanoTime() - scheduled;
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        long drainUntil = System.nanoTime() + 30_000_000_000L;
        while (received.get() < total && System.nanoTime() < drainUntil) {
            Thread.sleep(50);
        }
        consumerThread.interrupt();
        consumerThread.join(10_000);

        int skip = (int) (perSecond * warmup);
        double[] a = percentiles(ack, skip);
        double[] e = percentiles(e2e, skip);
        System.out.printf("PROBE produce %.1f %.1f %.1f %.1f e2e %.1f %.1f %.1f %.1f sent %d acked %d received %d%n",
                a[0], a[1], a[2], a[3], e[0], e[1], e[2], e[3], total - skip, count(ack, skip), count(e2e, skip));
        System.exit(0);
    }

    /** p50, p99, p99.9 and max in ms of the measured (non-warm-up) samples; a missing sample counts as infinitely late. */
    static double[] percentiles(long[] nanos, int skip) {
        long[] m = Arrays.copyOfRange(nanos, skip, nanos.length);
        for (int i = 0; i < m.length; i++) {
            if (m[i] < 0) {
                m[i] = Long.MAX_VALUE;
            }
        }
        Arrays.sort(m);
        double[] out = new double[4];
        double[] ps = {50, 99, 99.9, 100};
        for (int i = 0; i < 4; i++) {
            long v = m[(int) Math.min(m.length - 1, Math.ceil(ps[i] / 100 * m.length) - 1)];
            out[i] = v == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : v / 1e6;
        }
        return out;
    }

    static int count(long[] nanos, int skip) {
        int n = 0;
        for (int i = skip; i < nanos.length; i++) {
            n += nanos[i] >= 0 ? 1 : 0;
        }
        return n;
    }
}
