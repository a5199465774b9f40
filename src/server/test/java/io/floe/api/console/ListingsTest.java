package io.floe.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupListing;
import io.floe.group.OffsetCommit;
import io.floe.log.LogEngine;
import io.floe.model.TopicPartition;
import io.floe.runtime.Defaults;
import io.floe.sim.SimClock;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's lists are read from the store at most once per metadata max-age, and its own changes show at once. */
class ListingsTest {

    final SimClock clock = new SimClock(1_700_000_000_000L);
    final CountingObjectStore store = new CountingObjectStore(new MemoryObjectStore());
    final LogEngine engine = new LogEngine(store, clock, new SplittableRandom(1), Defaults.log("l").withBackgroundThreads(false));
    final GroupCoordinator groups = new GroupCoordinator(store, engine, clock, new SplittableRandom(2),
            Defaults.group("l").withBackgroundThreads(false));
    final Listings listings = new Listings(engine, groups, clock, Duration.ofSeconds(10), Runnable::run);

    @AfterEach
    void close() {
        groups.close();
        engine.close();
    }

    @Test
    void topicNamesAreListedOncePerMaxAgeAndACreateHereShowsAtOnce() {
        engine.createTopic("b", 1, Map.of());
        engine.createTopic("a", 1, Map.of());
        assertThat(listings.topicNames()).containsExactly("a", "b");
        CountingObjectStore.Counts before = store.snapshot();
        clock.advance(9_999);
        assertThat(listings.topicNames()).containsExactly("a", "b");
        assertThat(store.snapshot().minus(before).totalRequests()).isZero();

        engine.createTopic("c", 1, Map.of());
        assertThat(listings.topicNames()).as("still within the max-age").containsExactly("a", "b");
        listings.topicChanged("c");
        assertThat(listings.topicNames()).containsExactly("a", "b", "c");

        engine.createTopic("d", 1, Map.of());
        clock.advance(10_000);
        assertThat(listings.topicNames()).as("answered from the expired list, read again behind it").containsExactly("a", "b", "c");
        assertThat(listings.topicNames()).containsExactly("a", "b", "c", "d");

        engine.createTopic("e", 1, Map.of());
        clock.advance(Listings.SHOW_STALE_FOR * 10_000L);
        assertThat(listings.topicNames()).as("too old to show: read before answering").containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void topicRowsAreReadOncePerMaxAgeAndADeletedTopicDropsOut() {
        engine.createTopic("a", 2, Map.of());
        engine.createTopic("b", 1, Map.of());
        assertThat(listings.topics(List.of("a", "b"))).extracting(io.floe.model.Topic::partitions).containsExactly(2, 1);
        CountingObjectStore.Counts before = store.snapshot();
        clock.advance(9_999);
        listings.topics(List.of("a", "b"));
        assertThat(store.snapshot().minus(before).totalRequests()).isZero();
        engine.deleteTopic("b");
        listings.topicChanged("b");
        assertThat(listings.topics(List.of("a", "b"))).extracting(io.floe.model.Topic::name).containsExactly("a");
    }

    @Test
    void groupRowsAreReadOncePerMaxAgeAndOnlyThoseAskedFor() {
        engine.createTopic("t", 1, Map.of());
        for (String g : List.of("g1", "g2", "g3")) {
            commit(g);
        }
        assertThat(listings.groupIds()).containsExactly("g1", "g2", "g3");
        CountingObjectStore.Counts before = store.snapshot();
        assertThat(listings.groups(List.of("g1", "g2")).stream().map(GroupListing::groupId)).containsExactly("g1", "g2");
        assertThat(store.snapshot().minus(before).totalRequests()).as("one read per group shown").isEqualTo(2);

        before = store.snapshot();
        clock.advance(5_000);
        listings.groupIds();
        listings.groups(List.of("g1", "g2"));
        assertThat(store.snapshot().minus(before).totalRequests()).as("a second view within the max-age").isZero();

        listings.groupChanged("g2");
        before = store.snapshot();
        listings.groups(List.of("g1", "g2"));
        assertThat(store.snapshot().minus(before).totalRequests()).as("only the changed group is read again").isEqualTo(1);

        groups.deleteGroup("g1");
        clock.advance(10_000);
        listings.groupIds();
        listings.groups(List.of("g1", "g2"));
        assertThat(listings.groupIds()).as("read again behind the expired view").containsExactly("g2", "g3");
        assertThat(listings.groups(List.of("g1", "g2")).stream().map(GroupListing::groupId)).containsExactly("g2");
    }

    private void commit(String group) {
        groups.commit(new OffsetCommit(group, "", null, -1, Map.of(new TopicPartition("t", 0), new CommittedOffset(0, -1, "", 0)),
                OffsetCommit.Durability.SYNC));
    }
}
