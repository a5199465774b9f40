package io.floe.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Consumer-group rebalances through the Kafka protocol, against any broker (Floe or Apache Kafka, in
 * the same run by infra/bench/rebalance-compare.sh): N−1 Java consumers (classic protocol, default
 * settings and assignors) share a topic of 64 partitions while a producer keeps writing; each commits
 * synchronously after every poll and what it read when partitions are revoked. Then the N-th member
 * starts. Measured per rebalance:
 * <ul>
 * <li><b>join → assigned</b>: from the last member's first poll (which sends FindCoordinator and
 *     JoinGroup) until every member holds its share of the new assignment;</li>
 * <li><b>read twice</b>: records delivered more than once across the group during the rebalance;</li>
 * <li><b>refused</b>: commits refused for a lost generation (CommitFailedException).</li>
 * </ul>
 * Usage: {@code RebalanceBenchmark --bootstrap HOST:PORT --label NAME [--members 2,8,32] [--repeat 3]}.
 * Prints one line per run and a Markdown row per member count.
 */
public final class RebalanceBenchmark {

    private static final int PARTITIONS = 64;

    private RebalanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String bootstrap = opts.getOrDefault("bootstrap", "127.0.0.1:9092");
        String label = opts.getOrDefault("label", bootstrap);
        int repeat = Integer.parseInt(opts.getOrDefault("repeat", "3"));
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.SEVERE);
        List<String> rows = new ArrayList<>();
        for (String n : opts.getOrDefault("members", "2,8,32").split(",")) {
            int members = Integer.parseInt(n.trim());
            List<Long> millis = new ArrayList<>();
            int twice = 0;
            int refused = 0;
            for (int r = 0; r < repeat; r++) {
                Result res = run(bootstrap, members, "rb-" + members + "-" + r + "-" + System.nanoTime());
                System.out.printf("%s members=%d run=%d join→assigned=%d ms read-twice=%d refused=%d%n", label, members, r,
                        res.millis, res.readTwice, res.refused);
                millis.add(res.millis);
                twice += res.readTwice;
                refused += res.refused;
            }
            millis.sort(null);
            rows.add(String.format("| %s | %d | %d ms | %d–%d ms | %.1f | %d |", label, members, millis.get(millis.size() / 2),
                    millis.getFirst(), millis.getLast(), twice / (double) repeat, refused));
        }
        System.out.println("| system | members | join → all assigned (median) | min–max | read twice / rebalance | refused commits |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    record Result(long millis, int readTwice, int refused) {
    }

    static Result run(String bootstrap, int members, String topic) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        Shared shared = new Shared();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = Thread.ofPlatform().start(() -> produce(bootstrap, topic, producing));
        List<Member> group = new ArrayList<>();
        try {
            for (int i = 0; i < members - 1; i++) {
                group.add(new Member(bootstrap, topic, shared));
            }
            await(() -> evenlyShared(group), 120);
            Thread.sleep(1000);
            int twiceBefore = readTwice(shared);
            shared.refused.set(0);
            long start = System.nanoTime();
            group.add(new Member(bootstrap, topic, shared));
            await(() -> evenlyShared(group), 120);
            long millis = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(1000);
            return new Result(millis, readTwice(shared) - twiceBefore, shared.refused.get());
        } finally {
            producing.set(false);
            producer.join();
            group.forEach(m -> m.stop.set(true));
            for (Member m : group) {
                m.thread.join(30_000);
            }
        }
    }

    private static int readTwice(Shared shared) {
        return shared.seen.values().stream().mapToInt(v -> v - 1).sum();
    }

    private static void produce(String bootstrap, String topic, AtomicBoolean producing) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            long i = 0;
            while (producing.get()) {
                for (int k = 0; k < 20; k++, i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
                }
                Thread.sleep(20); // about 1,000 records/s
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean evenlyShared(List<Member> group) {
        Set<Integer> all = new TreeSet<>();
        int total = 0;
        for (Member m : group) {
            Set<Integer> a = m.assignment;
            if (a.size() < PARTITIONS / group.size()) {
                return false;
            }
            all.addAll(a);
            total += a.size();
        }
        return all.size() == PARTITIONS && total == PARTITIONS;
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the group did not settle within " + seconds + " s");
            }
            Thread.sleep(5);
        }
    }

    private static final class Shared {
        final Map<String, Integer> seen = new ConcurrentHashMap<>();
        final AtomicInteger refused = new AtomicInteger();
    }

    private static final class Member implements Runnable {
        final KafkaConsumer<String, String> consumer;
        final Shared shared;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Set<Integer> assignment = Set.of();
        final Thread thread;

        Member(String bootstrap, String topic, Shared shared) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            this.consumer = new KafkaConsumer<>(c);
            this.shared = shared;
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                    partitions.forEach(tp -> positions.put(tp, new OffsetAndMetadata(consumer.position(tp))));
                    commit(positions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            this.thread = Thread.ofPlatform().start(this);
        }

        void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            try {
                consumer.commitSync(offsets);
            } catch (RebalanceInProgressException e) {
                // the next poll rejoins; the revocation callback commits
            } catch (CommitFailedException e) {
                shared.refused.incrementAndGet();
            }
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    Map<TopicPartition, OffsetAndMetadata> read = new HashMap<>();
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        shared.seen.merge(r.value(), 1, Integer::sum);
                        read.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (!read.isEmpty()) {
                        commit(read);
                    }
                    Set<Integer> now = new TreeSet<>();
                    consumer.assignment().forEach(tp -> now.add(tp.partition()));
                    assignment = now;
                }
            } finally {
                consumer.close(Duration.ofSeconds(1));
            }
        }
    }
}
