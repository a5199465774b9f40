package io.floe.api.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Java consumers for rebalance tests: each reads on its own thread, commits synchronously after
 * every record and, as Kafka's documentation asks, its positions when partitions are revoked; a
 * shared {@link Tally} counts records seen and commits refused. Used with the classic protocol
 * (JavaClientRebalanceTest) and the consumer protocol (ConsumerProtocolClientsTest).
 */
final class CommittingMembers {

    private CommittingMembers() {
    }

    /** The consumer settings of a member: earliest, no auto-commit, small polls, plus {@code extra}. */
    static Properties config(String bootstrap, String group, Map<String, String> extra) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.putAll(extra);
        return c;
    }

    static final class Tally {
        final Map<String, Integer> seen = new ConcurrentHashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        final List<String> refusals = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        int readTwice() {
            return seen.values().stream().mapToInt(n -> n - 1).sum();
        }
    }

    static final class Member implements Runnable {
        final KafkaConsumer<String, String> consumer;
        final Tally tally;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Set<Integer> assignment = Set.of();
        final Thread thread;

        Member(Properties config, String topic, Tally tally) {
            this.consumer = new KafkaConsumer<>(config);
            this.tally = tally;
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    Map<TopicPartition, OffsetAndMetadata> positions = new java.util.HashMap<>();
                    for (TopicPartition tp : partitions) {
                        positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
                    }
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
                // classic protocol: the client knows a rebalance started; the next poll rejoins, the revocation commits
            } catch (CommitFailedException e) {
                tally.refused.incrementAndGet();
                tally.refusals.add(System.currentTimeMillis() % 100_000 + " " + offsets.keySet() + ": " + e
                        + (e.getCause() == null ? "" : " caused by " + e.getCause()));
            }
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        tally.seen.merge(r.value(), 1, Integer::sum);
                        commit(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                    }
                    Set<Integer> now = new TreeSet<>();
                    consumer.assignment().forEach(tp -> now.add(tp.partition()));
                    assignment = now;
                }
            } catch (RuntimeException e) {
                tally.failures.add(e);
            } finally {
                consumer.close(Duration.ofSeconds(10));
            }
        }

        void leave() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
        }
    }

    static void await(String what, BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    static boolean evenlyShared(List<Member> members, int partitions) {
        Set<Integer> all = new TreeSet<>();
        int total = 0;
        for (Member m : members) {
            all.addAll(m.assignment);
            total += m.assignment.size();
        }
        return all.size() == partitions && total == partitions
                && members.stream().allMatch(m -> m.assignment.size() == partitions / members.size());
    }
}
