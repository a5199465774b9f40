package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.api.kafka.CommittingMembers.Member;
import io.floe.api.kafka.CommittingMembers.Tally;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
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

    /** A member of {@code topic}'s group (named as the topic) on {@code bootstrap}; {@code instanceId} null: dynamic. */
    private static Member member(String bootstrap, String topic, String assignor, String instanceId, Tally tally) {
        Map<String, String> extra = new java.util.HashMap<>(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500", ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor));
        if (instanceId != null) {
            extra.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        return new Member(CommittingMembers.config(bootstrap, topic, extra), topic, tally);
    }

    private static boolean evenlyShared(List<Member> members) {
        return CommittingMembers.evenlyShared(members, 4);
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
        Member a = member(first.bootstrap(), topic, assignor, null, tally);
        Thread.sleep(1000);
        Member b = member(forB.bootstrap(), topic, assignor, null, tally);
        Thread.sleep(1000);
        Member c = member(first.bootstrap(), topic, assignor, null, tally);
        CommittingMembers.await("three members share the partitions", () -> a.assignment.size() + b.assignment.size()
                + c.assignment.size() == 4 && !a.assignment.isEmpty() && !b.assignment.isEmpty() && !c.assignment.isEmpty(), 30);
        c.leave();
        CommittingMembers.await("every record is read and the two left hold two partitions each",
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
        Member a = member(first.bootstrap(), topic, assignor, "static-a", tally);
        Member b = member(second.bootstrap(), topic, assignor, "static-b", tally);
        CommittingMembers.await("two static members hold two partitions each", () -> evenlyShared(List.of(a, b)), 30);
        Set<Integer> before = b.assignment;
        b.leave(); // a static member's close sends no LeaveGroup: its partitions wait for it
        Member again = member(second.bootstrap(), topic, assignor, "static-b", tally);
        CommittingMembers.await("every record is read and the restarted member is back",
                () -> tally.seen.size() == RECORDS && evenlyShared(List.of(a, again)), 40);
        assertThat(again.assignment).isEqualTo(before);
        a.leave();
        again.leave();
        assertClean(tally);
    }
}
