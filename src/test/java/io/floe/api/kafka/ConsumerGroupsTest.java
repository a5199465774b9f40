package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java consumers in a group against Floe on radosgw: three members split six partitions, the group
 * rebalances when one leaves, and the rest resume from the committed offsets; the Admin client sees
 * the group and its offsets.
 */
class ConsumerGroupsTest {

    private static FloeKafka floe;
    private static final java.util.logging.Logger COORDINATOR_LOG =
            java.util.logging.Logger.getLogger("org.apache.kafka.clients.consumer.internals");

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-groups");
        COORDINATOR_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static KafkaConsumer<String, String> member(String group) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, floe.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(c);
    }

    private static void produce(String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = from; i < to; i++) {
                p.send(new ProducerRecord<>(topic, "key-" + i, "v-" + i));
            }
            p.flush();
        }
    }

    /** A member polling on its own thread, committing what it read after every poll. */
    private static final class Member implements Runnable {
        final KafkaConsumer<String, String> consumer;
        final Set<String> seen;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Set<TopicPartition> assignment = Set.of();
        final Thread thread;

        Member(String group, String topic, Set<String> seen) {
            this.consumer = member(group);
            this.seen = seen;
            consumer.subscribe(List.of(topic));
            this.thread = Thread.ofPlatform().start(this);
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.value());
                    }
                    assignment = Set.copyOf(consumer.assignment());
                    if (!consumer.assignment().isEmpty()) {
                        try {
                            consumer.commitSync();
                        } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                                 | org.apache.kafka.clients.consumer.CommitFailedException e) {
                            // the group is rebalancing: the next poll rejoins
                        }
                    }
                }
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        void leave() throws InterruptedException {
            stop.set(true);
            thread.join(20_000);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void threeMembersSplitSixPartitionsRebalanceWhenOneLeavesAndResumeFromCommittedOffsets() throws Exception {
        String topic = "clicks";
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        produce(topic, 0, 600);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new Member("billing", topic, seen));
        }
        try {
            await("the three members own two partitions each", () -> members.stream()
                    .allMatch(m -> m.assignment.size() == 2), 30);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + members.stream().map(m -> m.assignment.toString()).toList()
                    + " seen " + seen.size() + " group " + floe.groups.describe("billing"));
        }
        Set<TopicPartition> union = new HashSet<>();
        members.forEach(m -> union.addAll(m.assignment));
        assertThat(union).hasSize(6);
        await("all 600 records were read", () -> seen.size() == 600, 60);

        // One member leaves: the other two take over its partitions.
        members.removeFirst().leave();
        await("two members own three partitions each", () -> members.stream()
                .allMatch(m -> m.assignment.size() == 3), 60);
        produce(topic, 600, 900);
        await("the new records were read", () -> seen.size() == 900, 60);
        for (Member m : members) {
            m.leave();
        }

        // The committed offsets are the ends of the partitions: a new member of the group reads only new records.
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("billing")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed).hasSize(6);
            long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(total).isEqualTo(900);
            assertThat(admin.listGroups().all().get()).anyMatch(g -> g.groupId().equals("billing"));
        }
        produce(topic, 900, 930);
        Set<String> resumed = ConcurrentHashMap.newKeySet();
        Member again = new Member("billing", topic, resumed);
        await("the resumed member read the 30 new records", () -> resumed.size() == 30, 60);
        again.leave();
        Map<String, Integer> byPrefix = new HashMap<>();
        resumed.forEach(v -> byPrefix.merge(v.compareTo("v-900") >= 0 ? "new" : "old", 1, Integer::sum));
        assertThat(resumed).allMatch(v -> Integer.parseInt(v.substring(2)) >= 900);
    }
}
