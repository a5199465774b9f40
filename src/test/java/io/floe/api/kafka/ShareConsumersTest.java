package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.share.ShareLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kafka 4.3.1's KafkaShareConsumer and Admin against Floe share groups on radosgw (KIP-932). */
class ShareConsumersTest {

    private static final ShareLimits LIMITS = new ShareLimits(3, Duration.ofSeconds(3), 2000);
    private static FloeKafka floe;
    private static FloeKafka other;

    @BeforeAll
    static void start() {
        floe = FloeKafka.startWithShareLimits("kafka-share", LIMITS);
        other = FloeKafka.sharingWithShareLimits(floe, "kafka-share-2", LIMITS);
    }

    @AfterAll
    static void stop() {
        other.close();
        floe.close();
    }

    static KafkaShareConsumer<String, String> consumer(String bootstrap, String group, boolean explicit) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-worker");
        c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, explicit ? "explicit" : "implicit");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaShareConsumer<>(c);
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            p.flush();
        }
    }

    /** Polls until the group has {@code members} members that all have an assignment (share groups start at the latest offset). */
    private static void awaitAssigned(String group, int members, Collection<KafkaShareConsumer<String, String>> consumers) throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (KafkaShareConsumer<String, String> c : consumers) {
                    c.poll(Duration.ofMillis(100));
                }
                ShareGroupDescription d;
                try {
                    d = admin.describeShareGroups(List.of(group)).describedGroups().get(group).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);
                    continue; // no heartbeat reached Floe yet
                }
                if (d.members().size() == members && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
            }
        }
        throw new AssertionError("share group " + group + " did not get " + members + " assigned members");
    }

    @Test
    void twoShareConsumersOnTwoInstancesReceiveEveryRecordExactlyOnce() throws Exception {
        String topic = "share-orders";
        String group = "workers";
        createTopic(topic, 3);
        try (KafkaShareConsumer<String, String> a = consumer(floe.bootstrap(), group, false);
             KafkaShareConsumer<String, String> b = consumer(other.bootstrap(), group, false)) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            awaitAssigned(group, 2, List.of(a, b));
            produce(topic, 300);
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            AtomicInteger byA = new AtomicInteger();
            AtomicInteger byB = new AtomicInteger();
            long deadline = System.currentTimeMillis() + 60_000;
            while (seen.size() < 300 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : a.poll(Duration.ofMillis(200))) {
                    seen.merge(r.value(), 1, Integer::sum);
                    byA.incrementAndGet();
                }
                for (ConsumerRecord<String, String> r : b.poll(Duration.ofMillis(200))) {
                    seen.merge(r.value(), 1, Integer::sum);
                    byB.incrementAndGet();
                }
            }
            a.commitSync();
            b.commitSync();
            assertThat(seen).hasSize(300);
            assertThat(seen.values()).allMatch(n -> n == 1);
            assertThat(byA.get() + byB.get()).isEqualTo(300);

            try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
                assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get())
                        .anyMatch(g -> g.groupId().equals(group) && g.type().orElse(null) == GroupType.SHARE);
                ShareGroupDescription d = admin.describeShareGroups(List.of(group)).describedGroups().get(group).get();
                assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(d.members()).hasSize(2);
                Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin.listShareGroupOffsets(
                        Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group).get();
                long started = 0;
                for (int p = 0; p < 3; p++) {
                    started += offsets.get(new TopicPartition(topic, p)).startOffset();
                }
                assertThat(started).isEqualTo(300); // every record acknowledged: the start offsets reached the end
            }
        }
    }

    @Test
    void releasedRecordsComeBackWithAHigherDeliveryCountAndRejectedOnesNever() throws Exception {
        String topic = "share-release";
        String group = "releasers";
        createTopic(topic, 1);
        try (KafkaShareConsumer<String, String> c = consumer(floe.bootstrap(), group, true)) {
            c.subscribe(List.of(topic));
            awaitAssigned(group, 1, List.of(c));
            produce(topic, 4);
            Map<String, List<Short>> deliveries = new HashMap<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !(deliveries.getOrDefault("v0", List.of()).size() == 2
                    && deliveries.keySet().containsAll(List.of("v1", "v2", "v3")))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    short count = r.deliveryCount().orElseThrow();
                    deliveries.computeIfAbsent(r.value(), v -> new ArrayList<>()).add(count);
                    AcknowledgeType type = switch (r.value()) {
                        case "v0" -> count == 1 ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT;
                        case "v1" -> AcknowledgeType.REJECT;
                        default -> AcknowledgeType.ACCEPT;
                    };
                    c.acknowledge(r, type);
                }
                c.commitSync();
            }
            for (int i = 0; i < 5; i++) {
                c.poll(Duration.ofMillis(200)); // nothing more may come: v1 was rejected, the rest accepted
            }
            assertThat(deliveries.get("v0")).containsExactly((short) 1, (short) 2);
            assertThat(deliveries.get("v1")).containsExactly((short) 1);
            assertThat(deliveries.get("v2")).containsExactly((short) 1);
        }
    }

    @Test
    void recordsHeldPastTheirLockAreRedeliveredToAnotherConsumer() throws Exception {
        String topic = "share-locks";
        String group = "lockers";
        createTopic(topic, 1);
        try (KafkaShareConsumer<String, String> slow = consumer(floe.bootstrap(), group, true);
             KafkaShareConsumer<String, String> fast = consumer(other.bootstrap(), group, true)) {
            slow.subscribe(List.of(topic));
            awaitAssigned(group, 1, List.of(slow));
            produce(topic, 5);
            List<ConsumerRecord<String, String>> held = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (held.size() < 5 && System.currentTimeMillis() < deadline) {
                slow.poll(Duration.ofMillis(200)).forEach(held::add);
            }
            assertThat(held).hasSize(5);
            long heldAt = System.currentTimeMillis();
            // slow never acknowledges; once the 3 s locks expire, fast gets the same records again
            fast.subscribe(List.of(topic));
            Map<String, Short> redelivered = new HashMap<>();
            deadline = System.currentTimeMillis() + 30_000;
            while (redelivered.size() < 5 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : fast.poll(Duration.ofMillis(200))) {
                    redelivered.put(r.value(), r.deliveryCount().orElseThrow());
                    fast.acknowledge(r, AcknowledgeType.ACCEPT);
                }
                fast.commitSync();
            }
            assertThat(System.currentTimeMillis() - heldAt).isGreaterThanOrEqualTo(LIMITS.lockDuration().toMillis());
            assertThat(redelivered).hasSize(5).allSatisfy((v, count) -> assertThat(count).isEqualTo((short) 2));
            // the first consumer's late acknowledgement is refused: the records are no longer its own
            slow.acknowledge(held.getFirst(), AcknowledgeType.ACCEPT);
            var results = slow.commitSync();
            assertThat(results.values()).anyMatch(r -> r.isPresent()
                    && r.get() instanceof org.apache.kafka.common.errors.InvalidRecordStateException);
        }
    }

    @Test
    void kafkaShareGroupsToolListsAndDescribesGroups() throws Exception {
        String topic = "share-tool";
        String group = "tool-workers";
        createTopic(topic, 2);
        try (KafkaShareConsumer<String, String> c = consumer(floe.bootstrap(), group, false)) {
            c.subscribe(List.of(topic));
            awaitAssigned(group, 1, List.of(c));
            produce(topic, 10);
            int got = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (got < 10 && System.currentTimeMillis() < deadline) {
                got += c.poll(Duration.ofMillis(200)).count();
            }
            c.commitSync();
            assertThat(got).isEqualTo(10);
            String list = shareGroups("--list");
            assertThat(list.lines()).contains(group);
            String offsets = shareGroups("--describe", "--group", group);
            assertThat(offsets).contains(topic).contains("START-OFFSET");
            assertThat(offsets.lines().filter(l -> l.contains(topic)).toList()).hasSize(2);
            String members = shareGroups("--describe", "--group", group, "--members");
            assertThat(members).contains(group + "-worker").contains(topic + ":0,1");
            String state = shareGroups("--describe", "--group", group, "--state");
            assertThat(state).contains("Stable");
        }
    }

    @Test
    void startOffsetsAreSetWithAdminAndEmptyGroupsDeletedWithTheTool() throws Exception {
        String topic = "share-reset";
        String group = "resetters";
        createTopic(topic, 1);
        produce(topic, 10); // before the group exists: a new share group would start after them
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 0), 0L)).all().get();
        }
        try (KafkaShareConsumer<String, String> c = consumer(floe.bootstrap(), group, false)) {
            c.subscribe(List.of(topic));
            List<String> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (got.size() < 10 && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
            }
            c.commitSync();
            assertThat(got).hasSize(10).contains("v0", "v9");
            try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
                assertThatThrownBy(() -> admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 0), 0L)).all().get())
                        .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupNotEmptyException.class);
            }
        }
        assertThat(shareGroups("--delete", "--group", group)).contains("successful");
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get()).noneMatch(g -> g.groupId().equals(group));
        }
    }

    /** kafka-share-groups.sh, from Kafka 4.3.1's tools on the class path, in its own JVM. */
    private static String shareGroups(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.consumer.group.ShareGroupCommand",
                "--bootstrap-server", floe.bootstrap()));
        cmd.addAll(List.of(args));
        return NativeClientsTest.run(cmd, null, 120);
    }
}
