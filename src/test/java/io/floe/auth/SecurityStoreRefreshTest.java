package io.floe.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.log.Retry;
import io.floe.sim.SimClock;
import io.floe.store.CountingObjectStore;
import io.floe.store.MemoryObjectStore;
import io.floe.store.Operation;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the users-and-ACLs refresher costs, idle and in use, and how fresh a check's snapshot is. */
class SecurityStoreRefreshTest {

    private static final Retry RETRY = new Retry(Retry.Sleeper.NONE, new SplittableRandom(0));
    private static final long INTERVAL = 5_000;
    private static final Acl READ_ORDERS = new Acl("User:alice", "*", ResourceType.TOPIC, "orders", PatternType.LITERAL,
            AclOperation.READ, AclPermissionType.ALLOW);

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final CountingObjectStore counted = new CountingObjectStore(bucket);
    private final SimClock clock = new SimClock(1_800_000_000_000L);
    // Started with a real scheduler whose first run is an hour away: the test drives tick() by hand.
    private final SecurityStore users = new SecurityStore(counted, RETRY, new SplittableRandom(1), "here")
            .startRefreshing(INTERVAL, clock);
    private final SecurityStore elsewhere = new SecurityStore(bucket, RETRY, new SplittableRandom(2), "there");

    @AfterEach
    void close() {
        users.close();
    }

    private long gets() {
        return counted.snapshot().requests(Operation.GET);
    }

    @Test
    void anIdleInstanceReadsNothingForSecurity() {
        long before = gets();
        for (int i = 0; i < 720; i++) { // an hour of refresher runs
            clock.advance(INTERVAL);
            users.tick();
        }
        assertThat(gets() - before).isZero();
    }

    @Test
    void whileChecksUseTheSnapshotTheRefresherReadsBothObjectsEveryInterval() {
        long before = gets();
        for (int i = 0; i < 10; i++) {
            users.snapshot();
            clock.advance(INTERVAL);
            users.tick();
        }
        assertThat(gets() - before).isEqualTo(20);
    }

    @Test
    void aChangeMadeElsewhereReachesAnInUseInstanceAtItsNextRefresh() {
        users.snapshot();
        elsewhere.addAcls(List.of(READ_ORDERS));
        clock.advance(INTERVAL);
        users.tick();
        assertThat(users.snapshot().acls()).containsExactly(READ_ORDERS);
    }

    @Test
    void theFirstCheckAfterAnIdleSpellReadsTheBucketBeforeItAnswers() {
        for (int i = 0; i < 100; i++) {
            clock.advance(INTERVAL);
            users.tick();
        }
        elsewhere.addAcls(List.of(READ_ORDERS)); // e.g. a grant, or a revocation, while this instance slept
        long before = gets();
        assertThat(users.snapshot().acls()).containsExactly(READ_ORDERS);
        assertThat(gets() - before).isEqualTo(2);
        users.snapshot(); // fresh now: no second read
        assertThat(gets() - before).isEqualTo(2);
    }

    @Test
    void withinTwoIntervalsOfTheLastReadACheckReadsNothing() {
        users.snapshot();
        clock.advance(INTERVAL);
        users.tick();
        long before = gets();
        clock.advance(2 * INTERVAL);
        users.snapshot();
        assertThat(gets() - before).isZero();
    }
}
