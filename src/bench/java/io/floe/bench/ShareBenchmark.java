package io.floe.bench;

import io.floe.api.kafka.KafkaListener;
import io.floe.api.kafka.KafkaSettings;
import io.floe.group.GroupCoordinator;
import io.floe.log.LogEngine;
import io.floe.runtime.Defaults;
import io.floe.share.ShareGroups;
import io.floe.share.ShareSettings;
import io.floe.store.CountingObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Share groups (KIP-932) with Kafka 4.3.1's KafkaShareConsumer against Floe (in this JVM, on a fresh
 * radosgw bucket, its store requests counted) and, with {@code --kafka HOST:PORT}, against a real Kafka
 * 4.3.1 broker in the same run, with the same client code: throughput with 1, 4 and 16 consumers draining
 * {@code --records} records of {@code --record-bytes} from {@code --partitions} partitions (implicit
 * acknowledgement), store requests per 1,000 records by kind (Floe), records delivered more than once;
 * then the redelivery latency after a lock timeout (a consumer takes a record and never acknowledges it;
 * another one polls until it gets it again), with {@code --lock-ms} locks set as the group config
 * {@code share.record.lock.duration.ms} (Kafka's bounds: 15–60 s). Groups start at the earliest offset
 * through the group config {@code share.auto.offset.reset}.
 *
 * <p>Not a test (STYLE.md rule 12). Run: {@code infra/bench/share-compare.sh} (starts the Kafka broker), or
 * {@code ./mvnw -q -Pbench compile exec:exec -Dbench.main=io.floe.bench.ShareBenchmark -Dbench.args="--records 20000"}.
 */
public final class ShareBenchmark {

    private int records = 20_000;
    private int recordBytes = 100;
    private int partitions = 16;
    private int lockMs = 15_000;
    private String kafka;

    public static void main(String[] args) throws Exception {
        ShareBenchmark b = new ShareBenchmark();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> b.records = Integer.parseInt(args[i + 1]);
                case "--record-bytes" -> b.recordBytes = Integer.parseInt(args[i + 1]);
                case "--partitions" -> b.partitions = Integer.parseInt(args[i + 1]);
                case "--lock-ms" -> b.lockMs = Integer.parseInt(args[i + 1]);
                case "--kafka" -> b.kafka = args[i + 1];
                default -> throw new IllegalArgumentException(
                        "options: --records N --record-bytes N --partitions N --lock-ms N --kafka HOST:PORT; got " + args[i]);
            }
        }
        b.run();
    }

    /** GETs by the first segment of their key (share-partitions, share-groups, data, segments…). */
    static final class GetsByPrefix implements io.floe.store.ObjectStore {
        final io.floe.store.ObjectStore delegate;
        final Map<String, java.util.concurrent.atomic.LongAdder> gets = new ConcurrentHashMap<>();

        GetsByPrefix(io.floe.store.ObjectStore delegate) {
            this.delegate = delegate;
        }

        private void count(String key) {
            int slash = key.indexOf('/');
            gets.computeIfAbsent(slash < 0 ? key : key.substring(0, slash), k -> new java.util.concurrent.atomic.LongAdder()).increment();
        }

        Map<String, Long> snapshot() {
            Map<String, Long> out = new java.util.TreeMap<>();
            gets.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }

        @Override
        public java.util.Optional<StoredObject> get(String key) {
            count(key);
            return delegate.get(key);
        }

        @Override
        public java.util.Optional<StoredObject> getRange(String key, long position, int length) {
            count(key);
            return delegate.getRange(key, position, length);
        }

        @Override
        public WriteResult createIfAbsent(String key, byte[] content) {
            return delegate.createIfAbsent(key, content);
        }

        @Override
        public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
            return delegate.replaceIfMatch(key, content, expectedEtag);
        }

        @Override
        public String put(String key, byte[] content) {
            return delegate.put(key, content);
        }

        @Override
        public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
            return delegate.list(prefix, startAfter, limit);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }
    }

    private GetsByPrefix prefixes;

    private void run() throws Exception {
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        String endpoint = System.getProperty("bench.s3.endpoint", "http://127.0.0.1:7480");
        try (BenchTarget target = BenchTarget.open("s3", endpoint, null)) {
            prefixes = new GetsByPrefix(target.counting);
            LogEngine engine = new LogEngine(prefixes, Clock.systemUTC(), new SplittableRandom(1), Defaults.log("bench-share"));
            GroupCoordinator groups = new GroupCoordinator(target.counting, engine, Clock.systemUTC(), new SplittableRandom(2),
                    Defaults.group("bench-share"));
            ShareGroups shares = new ShareGroups(prefixes, engine, Clock.systemUTC(), new SplittableRandom(3),
                    ShareSettings.defaults("bench-share"));
            KafkaListener listener = new KafkaListener(engine, groups, target.counting, Clock.systemUTC(), KafkaSettings.onPort(0))
                    .withShareGroups(shares).start();
            try {
                System.out.printf("%d records of %d B in %d partitions; 30 s locks (redelivery: %d ms locks)%n",
                        records, recordBytes, partitions, lockMs);
                measure("Floe on " + target.description, "127.0.0.1:" + listener.port(), target.counting);
                if (kafka != null) {
                    prefixes = null;
                    measure("Kafka 4.3.1 at " + kafka, kafka, null);
                }
            } finally {
                listener.close();
                groups.close();
                engine.close();
            }
        }
    }

    /** The whole measurement against one system, through its Kafka listener only. */
    private void measure(String label, String bootstrap, CountingObjectStore counting) throws Exception {
        System.out.println("== " + label);
        String topic = "share-bench-" + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.currentTimeMillis() + 180_000; // a broker just started may not be registered yet
            while (admin.describeCluster().nodes().get().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            byte[] value = new byte[recordBytes];
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord<>(topic, i % partitions, null, value));
            }
            p.flush();
        }
        for (int consumers : new int[] {1, 4, 16}) {
            String group = "bench-" + consumers + "-" + System.currentTimeMillis();
            groupConfigs(bootstrap, group, Map.of("share.auto.offset.reset", "earliest"));
            drain(bootstrap, topic, group, consumers, counting);
        }
        redelivery(bootstrap);
    }

    /** Sets group configs the way kafka-configs.sh does (IncrementalAlterConfigs on the GROUP resource). */
    private static void groupConfigs(String bootstrap, String group, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.GROUP, group);
            List<AlterConfigOp> ops = new ArrayList<>();
            configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            admin.incrementalAlterConfigs(Map.of(r, ops)).all().get();
        }
    }

    private static KafkaShareConsumer<byte[], byte[]> consumer(String bootstrap, String group, boolean explicit) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, explicit ? "explicit" : "implicit");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaShareConsumer<>(c);
    }

    /** {@code n} consumers drain the topic; prints records/s and store requests per 1,000 records. */
    private void drain(String bootstrap, String topic, String group, int n, CountingObjectStore counting) throws Exception {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        AtomicLong deliveries = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountingObjectStore.Counts before = counting == null ? null : counting.snapshot();
        Map<String, Long> getsBefore = prefixes == null ? Map.of() : prefixes.snapshot();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (KafkaShareConsumer<byte[], byte[]> c = consumer(bootstrap, group, false)) {
                    c.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                            seen.merge(r.partition() + "@" + r.offset(), 1, Integer::sum);
                            deliveries.incrementAndGet();
                        }
                    }
                    c.commitSync();
                }
            }));
        }
        long deadline = System.currentTimeMillis() + 300_000;
        while (seen.size() < records && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CountingObjectStore.Counts used = counting == null ? null : counting.snapshot().minus(before);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        long twice = seen.values().stream().filter(v -> v > 1).count();
        StringBuilder byPrefix = new StringBuilder();
        (prefixes == null ? Map.<String, Long>of() : prefixes.snapshot()).forEach((k, v) -> {
            long d = v - getsBefore.getOrDefault(k, 0L);
            if (d > 0) {
                byPrefix.append(byPrefix.length() > 0 ? ", " : "").append(k).append(' ')
                        .append(String.format("%.1f", d * 1000.0 / Math.max(1, seen.size())));
            }
        });
        System.out.printf("%2d consumers: %d/%d records in %.1f s = %.0f records/s (from join to last record); "
                        + "delivered twice %d; %s%n",
                n, seen.size(), records, seconds, seen.size() / seconds, twice, used == null ? "(no store)"
                        : String.format("store requests per 1,000 records %.1f %s", used.totalRequests() * 1000.0 / Math.max(1, seen.size()),
                        perThousand(used, seen.size())));
        if (used != null) {
            System.out.printf("    GETs per 1,000 records by key prefix: %s%n", byPrefix);
        }
    }

    private static String perThousand(CountingObjectStore.Counts c, int records) {
        StringBuilder sb = new StringBuilder("(");
        c.requests().forEach((op, count) -> {
            if (count > 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(op).append(' ').append(String.format("%.1f", count * 1000.0 / Math.max(1, records)));
            }
        });
        return sb.append(')').toString();
    }

    /** A record taken and never acknowledged: how long until another consumer gets it, beyond the lock duration. */
    private void redelivery(String bootstrap) throws Exception {
        List<Long> extra = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (int round = 0; round < 5; round++) {
                // A topic and a group per round, the record there before anyone joins, the group starting at the earliest
                // offset: no dependence on when a system initializes a share-partition.
                String topic = "share-redelivery-" + round + "-" + System.currentTimeMillis();
                String group = "redeliver-" + round + "-" + System.currentTimeMillis();
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[10])).get();
                groupConfigs(bootstrap, group, Map.of("share.record.lock.duration.ms", Integer.toString(lockMs),
                        "share.auto.offset.reset", "earliest"));
                try (KafkaShareConsumer<byte[], byte[]> holder = consumer(bootstrap, group, true);
                     KafkaShareConsumer<byte[], byte[]> taker = consumer(bootstrap, group, true)) {
                    holder.subscribe(List.of(topic));
                    long heldAt = -1;
                    while (heldAt < 0) {
                        if (!holder.poll(Duration.ofMillis(50)).isEmpty()) {
                            heldAt = System.nanoTime(); // held, never acknowledged
                        }
                    }
                    taker.subscribe(List.of(topic));
                    long got = -1;
                    while (got < 0) {
                        for (ConsumerRecord<byte[], byte[]> r : taker.poll(Duration.ofMillis(50))) {
                            got = System.nanoTime();
                            taker.acknowledge(r, AcknowledgeType.ACCEPT);
                        }
                    }
                    taker.commitSync();
                    extra.add((got - heldAt) / 1_000_000 - lockMs);
                }
            }
        }
        System.out.printf("redelivery after a %d ms lock timeout: extra delay beyond the lock %s ms%n", lockMs, extra);
    }
}
