package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's scenario with Kafka's Java client (classic protocol): members that commit synchronously
 * after every record — and, as Kafka's documentation asks, what they read when partitions are
 * revoked — join and leave a group on one or two Floe instances, with the eager range assignor, the
 * cooperative-sticky assignor and static membership. Every record is read once, no commit is refused
 * for a lost generation (CommitFailedException), and the partitions end up shared evenly.
 */
class JavaClientRebalanceTest {

    private static final int RECORDS = 600;
    private static final java.util.logging.Logger CLIENT_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    private static FloeKafka first;
    private static FloeKafka second;

    @BeforeAll
    static void start() {
        first = FloeKafka.start("kafka-java-rebalance");
        second = FloeKafka.sharing(first, "kafka-java-rebalance-2");
        CLIENT_LOG.setLevel(java.util.logging.Level.parse(System.getProperty("floe.test.client-log", "SEVERE")));
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    /** What every member of one scenario shares: records seen (with counts) and refused commits. */
    private static final class Tally {
        final Map<String, Integer> seen = new ConcurrentHashMap<>();
        final AtomicInteger refused = new AtomicInteger();
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        int readTwice() {
            return seen.values().stream().mapToInt(n -> n - 1).sum();
        }
    }

    /** A member reading on its own thread, committing each record, and its position on revocation. */
    private static final class Member implements Runnable {
        final KafkaConsumer<String, String> consumer;
        final Tally tally;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Set<Integer> assignment = Set.of();
        final Thread thread;

        Member(String bootstrap, String group, String topic, String assignor, String instanceId, Tally tally) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
            c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
            c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
            if (instanceId != null) {
                c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
            }
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            this.consumer = new KafkaConsumer<>(c);
            this.tally = tally;
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commitPositions(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            this.thread = Thread.ofPlatform().start(this);
        }

        void commitPositions(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> positions = new java.util.HashMap<>();
            for (TopicPartition tp : partitions) {
                positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            commit(positions);
        }

        void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            try {
                consumer.commitSync(offsets);
            } catch (RebalanceInProgressException e) {
                // The client knows a rebalance started: the next poll rejoins; the revocation commits.
            } catch (CommitFailedException e) {
                tally.refused.incrementAndGet();
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
                consumer.close(Duration.ofSeconds(5));
            }
        }

        void leave() throws InterruptedException {
            stop.set(true);
            thread.join(20_000);
        }
    }

    private static void await(String what, BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private static boolean evenlyShared(List<Member> members) {
        Set<Integer> all = new TreeSet<>();
        int total = 0;
        for (Member m : members) {
            all.addAll(m.assignment);
            total += m.assignment.size();
        }
        return all.size() == 4 && total == 4 && members.stream().allMatch(m -> m.assignment.size() == 4 / members.size());
    }

    private static void assertClean(Tally tally) {
        assertThat(tally.failures).isEmpty();
        assertThat(tally.seen).hasSize(RECORDS);
        assertThat(tally.refused.get()).as("commits refused (CommitFailedException)").isZero();
        assertThat(tally.readTwice()).as("records read twice").isZero();
    }

    private void joinThenLeave(String topic, String assignor, FloeKafka forB) throws Exception {
        RebalanceWithClientsTest.fill(first.bootstrap(), topic, RECORDS);
        Tally tally = new Tally();
        Member a = new Member(first.bootstrap(), topic, topic, assignor, null, tally);
        Thread.sleep(1000);
        Member b = new Member(forB.bootstrap(), topic, topic, assignor, null, tally);
        Thread.sleep(1000);
        Member c = new Member(first.bootstrap(), topic, topic, assignor, null, tally);
        await("three members share the partitions", () -> a.assignment.size() + b.assignment.size()
                + c.assignment.size() == 4 && !a.assignment.isEmpty() && !b.assignment.isEmpty() && !c.assignment.isEmpty(), 30);
        c.leave();
        await("every record is read and the two left hold two partitions each",
                () -> tally.seen.size() == RECORDS && evenlyShared(List.of(a, b)), 40);
        a.leave();
        b.leave();
        assertClean(tally);
    }

    @Test
    void eagerMembersOnTwoInstancesJoinAndLeaveWithoutRefusedCommitsOrRecordsReadTwice() throws Exception {
        joinThenLeave("java-eager", RangeAssignor.class.getName(), second);
    }

    @Test
    void cooperativeStickyMembersJoinAndLeaveWithoutRefusedCommitsOrRecordsReadTwice() throws Exception {
        joinThenLeave("java-cooperative", CooperativeStickyAssignor.class.getName(), first);
    }

    @Test
    void staticMemberRestartingWithinItsSessionGetsItsPartitionsBack() throws Exception {
        String topic = "java-static";
        RebalanceWithClientsTest.fill(first.bootstrap(), topic, RECORDS);
        Tally tally = new Tally();
        String assignor = RangeAssignor.class.getName();
        Member a = new Member(first.bootstrap(), topic, topic, assignor, "static-a", tally);
        Member b = new Member(second.bootstrap(), topic, topic, assignor, "static-b", tally);
        await("two static members hold two partitions each", () -> evenlyShared(List.of(a, b)), 30);
        Set<Integer> before = b.assignment;
        b.leave(); // a static member's close sends no LeaveGroup: its partitions wait for it
        Member again = new Member(second.bootstrap(), topic, topic, assignor, "static-b", tally);
        await("every record is read and the restarted member is back",
                () -> tally.seen.size() == RECORDS && evenlyShared(List.of(a, again)), 40);
        assertThat(again.assignment).isEqualTo(before);
        a.leave();
        again.leave();
        assertClean(tally);
    }
}
