package io.floe.api.kafka;

import static io.floe.api.kafka.CommittingMembers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.api.kafka.CommittingMembers.Member;
import io.floe.api.kafka.CommittingMembers.Tally;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's Java consumer with {@code group.protocol=consumer} (KIP-848, ConsumerGroupHeartbeat) against
 * two Floe instances on one radosgw bucket: members join and leave while records are produced, commit
 * synchronously after every record (and their positions when partitions are revoked); every record is
 * read exactly once, no commit is refused, the partitions end up shared evenly, and the admin client
 * lists and describes the group as a CONSUMER group.
 */
class ConsumerProtocolClientsTest {

    private static final int RECORDS = 900;
    private static final int PARTITIONS = 6;

    private static FloeKafka first;
    private static FloeKafka second;

    @BeforeAll
    static void start() {
        first = FloeKafka.start("kafka-kip848");
        second = FloeKafka.sharing(first, "kafka-kip848-2");
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    /** Produces {@code RECORDS} records over a few seconds, so that records arrive while members come and go. */
    private static Thread produce(String bootstrap, String topic) {
        return Thread.ofPlatform().start(() -> {
            try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(bootstrap))) {
                for (int i = 0; i < RECORDS; i++) {
                    p.send(new ProducerRecord<>(topic, "key-" + i, "v-" + i));
                    if (i % 30 == 29) {
                        p.flush();
                        Thread.sleep(200);
                    }
                }
                p.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static Member member(FloeKafka via, String topic, String assignor, String instanceId, Tally tally) {
        Map<String, String> extra = new java.util.HashMap<>(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));
        if (assignor != null) {
            extra.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
        }
        if (instanceId != null) {
            extra.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        return new Member(CommittingMembers.config(via.bootstrap(), topic, extra), topic, tally);
    }

    private static boolean evenlyShared(List<Member> members) {
        return CommittingMembers.evenlyShared(members, PARTITIONS);
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrap()));
    }

    private void joinAndLeave(String topic, String assignor) throws Exception {
        NativeClientsTest.createTopic(first.bootstrap(), topic, PARTITIONS);
        Thread producer = produce(first.bootstrap(), topic);
        Tally tally = new Tally();
        Member a = member(first, topic, assignor, null, tally);
        await("a holds every partition", () -> a.assignment.size() == PARTITIONS, 30);
        Member b = member(second, topic, assignor, null, tally);
        await("a and b share the partitions", () -> evenlyShared(List.of(a, b)), 60);
        Member c = member(first, topic, assignor, null, tally);
        await("a, b and c share the partitions", () -> evenlyShared(List.of(a, b, c)), 60);
        try (Admin admin = admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(topic)).all().get().get(topic);
            assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.members()).hasSize(3);
            assertThat(d.partitionAssignor()).isEqualTo(assignor == null ? "uniform" : assignor);
            assertThat(d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum()).isEqualTo(PARTITIONS);
            List<GroupListing> listed = admin.listGroups().all().get().stream().filter(g -> g.groupId().equals(topic)).toList();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).type()).contains(GroupType.CONSUMER);
        }
        c.leave();
        producer.join(60_000);
        await("every record is read and a and b share the partitions again",
                () -> tally.seen.size() == RECORDS && evenlyShared(List.of(a, b)), 60);
        a.leave();
        b.leave();
        assertThat(tally.failures).isEmpty();
        assertThat(tally.seen).hasSize(RECORDS);
        assertThat(tally.refused.get()).as("commits refused: %s", tally.refusals).isZero();
        assertThat(tally.readTwice()).as("records read twice").isZero();
        try (Admin admin = admin()) {
            var committed = admin.listConsumerGroupOffsets(topic).partitionsToOffsetAndMetadata().get();
            assertThat(committed).hasSize(PARTITIONS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(RECORDS);
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(topic)).all().get().get(topic);
            assertThat(d.groupState()).isEqualTo(GroupState.EMPTY);
        }
    }

    @Test
    void membersOnTwoInstancesJoinAndLeaveWithEveryRecordReadOnceAndNoCommitRefused() throws Exception {
        joinAndLeave("kip848-uniform", null);
    }

    @Test
    void theRangeServerAssignorWorksTheSameWay() throws Exception {
        joinAndLeave("kip848-range", "range");
    }

    private static String groupCommand(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", "--bootstrap-server", first.bootstrap()));
        cmd.addAll(List.of(args));
        return NativeClientsTest.run(cmd, null, 120);
    }

    @Test
    void aStaticMemberRestartingWithinItsSessionGetsItsPartitionsBackAndTheToolsDescribeTheGroup() throws Exception {
        String topic = "kip848-static";
        NativeClientsTest.createTopic(first.bootstrap(), topic, PARTITIONS);
        Thread producer = produce(first.bootstrap(), topic);
        Tally tally = new Tally();
        Member a = member(first, topic, null, "static-a", tally);
        Member b = member(second, topic, null, "static-b", tally);
        await("a and b share the partitions", () -> evenlyShared(List.of(a, b)), 60);
        String state = groupCommand("--describe", "--group", topic, "--state");
        assertThat(state).contains("Stable").contains("uniform");
        String members = groupCommand("--describe", "--group", topic, "--members");
        assertThat(members.lines().filter(l -> l.startsWith(topic + " ")).count()).as(members).isEqualTo(2);
        Set<Integer> before = a.assignment;
        int groupEpoch;
        try (Admin admin = admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(topic)).all().get().get(topic);
            groupEpoch = d.groupEpoch().orElseThrow();
            assertThat(d.members()).extracting(m -> m.groupInstanceId().orElse(null))
                    .containsExactlyInAnyOrder("static-a", "static-b");
        }
        AtomicBoolean bGrew = new AtomicBoolean();
        Thread watch = Thread.ofPlatform().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (b.assignment.size() > PARTITIONS / 2) {
                    bGrew.set(true);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        a.leave();
        Member again = member(first, topic, null, "static-a", tally);
        await("the restarted static member has its partitions back", () -> again.assignment.equals(before), 60);
        try (Admin admin = admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(topic)).all().get().get(topic);
            assertThat(d.groupEpoch()).as("a static member's restart is no rebalance").contains(groupEpoch);
            assertThat(d.members()).hasSize(2);
        }
        producer.join(60_000);
        await("every record is read", () -> tally.seen.size() == RECORDS, 60);
        watch.interrupt();
        assertThat(bGrew.get()).as("b took a's partitions while a restarted").isFalse();
        again.leave();
        b.leave();
        assertThat(tally.failures).isEmpty();
        assertThat(tally.refused.get()).as("commits refused: %s", tally.refusals).isZero();
        assertThat(tally.readTwice()).as("records read twice").isZero();
    }
}
