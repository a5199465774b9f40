package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Regex subscriptions of consumer-protocol members: RE2/J whole-name matches, kept in the group object, matched again. */
class TopicRegexTest {

    @Test
    void matchesWholeTopicNamesWithRe2jSyntax() {
        assertThat(TopicRegex.matching("orders-.*", List.of("orders-eu", "orders", "old-orders-eu", "orders-us")))
                .containsExactly("orders-eu", "orders-us");
        assertThatThrownBy(() -> TopicRegex.check("orders-(")).isInstanceOf(FloeException.class)
                .extracting(e -> ((FloeException) e).code()).isEqualTo(ErrorCode.INVALID_REGULAR_EXPRESSION);
        // Back-references are Java-regex only: RE2/J refuses them, as Kafka's broker does.
        assertThatThrownBy(() -> TopicRegex.check("(a)\\1")).isInstanceOf(FloeException.class);
    }

    @Test
    void aRegexMemberIsSubscribedToItsMatchesAgainAtEachHeartbeatAndTheRegexSurvivesTheGroupObject() {
        GroupDoc d = GroupDoc.empty("g");
        List<String> topics = new ArrayList<>(List.of("orders-eu", "payments"));
        Map<String, Integer> counts = Map.of("orders-eu", 2, "orders-us", 2, "payments", 1);
        ConsumerHeartbeatResult joined = ConsumerTransitions.heartbeat(d, new ConsumerHeartbeat("g", "m1", 0, null, null, 30_000,
                List.of(), null, List.of(), "c", "/h", "orders-.*", null), 0, 45_000, counts::get, () -> topics);
        assertThat(joined.assignment()).extracting(tp -> tp.topic()).containsOnly("orders-eu");

        // Through the bytes of the group object: the regex is kept, not only its matches.
        GroupDoc read = GroupFormat.decode("groups/g/state", GroupFormat.encode(d));
        int epoch = read.generation;
        topics.add("orders-us"); // a topic created since
        ConsumerHeartbeatResult next = ConsumerTransitions.heartbeat(read, new ConsumerHeartbeat("g", "m1", joined.memberEpoch(), null,
                null, -1, null, null, joined.assignment(), "c", "/h"), 1, 45_000, counts::get, () -> topics);
        assertThat(read.generation).isGreaterThan(epoch);
        assertThat(read.members.get("m1").topics).containsExactlyInAnyOrder("orders-eu", "orders-us");
        assertThat(next.assignment()).extracting(tp -> tp.topic()).contains("orders-us");
    }

    @Test
    void aRegexMatchesOnlyTheTopicsTheMembersPrincipalMayDescribe() {
        GroupDoc d = GroupDoc.empty("g");
        Map<String, Integer> counts = Map.of("orders-eu", 2, "orders-us", 2);
        ConsumerHeartbeatResult joined = ConsumerTransitions.heartbeat(d, new ConsumerHeartbeat("g", "m1", 0, null, null, 30_000,
                List.of(), null, List.of(), "c", "/h", "orders-.*", topic -> !topic.equals("orders-us")), 0, 45_000, counts::get,
                () -> List.of("orders-eu", "orders-us"));
        assertThat(d.members.get("m1").topics).containsExactly("orders-eu");
        assertThat(joined.assignment()).extracting(tp -> tp.topic()).containsOnly("orders-eu");
    }
}
