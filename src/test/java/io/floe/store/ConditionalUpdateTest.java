package io.floe.store;

import static io.floe.store.ObjectStoreContractTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.store.ConditionalUpdate.Outcome;
import io.floe.store.FaultInjectingObjectStore.FaultType;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConditionalUpdateTest {

    final MemoryObjectStore memory = new MemoryObjectStore();
    final CountingObjectStore counting = new CountingObjectStore(memory);
    final FaultInjectingObjectStore store = new FaultInjectingObjectStore(counting);

    @Test
    void createsAnAbsentObject() {
        Outcome o = ConditionalUpdate.update(store, "k", cur -> Optional.of(bytes(cur.isEmpty() ? "new" : "old")), 3);
        assertThat(o).isInstanceOfSatisfying(Outcome.Updated.class, u -> {
            assertThat(u.content()).isEqualTo(bytes("new"));
            assertThat(u.etag()).isEqualTo(memory.get("k").orElseThrow().etag());
            assertThat(u.attempts()).isEqualTo(1);
        });
        assertThat(counting.snapshot().requests(Operation.CREATE_IF_ABSENT)).isEqualTo(1);
    }

    @Test
    void replacesAPresentObjectWithItsEtag() {
        memory.put("k", bytes("1"));
        Outcome o = ConditionalUpdate.update(store, "k", cur -> cur.map(b -> bytes(new String(b) + "2")), 3);
        assertThat(o.updated()).isTrue();
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("12"));
        assertThat(counting.snapshot().requests(Operation.REPLACE_IF_MATCH)).isEqualTo(1);
    }

    @Test
    void noChangeWantedWritesNothing() {
        memory.put("k", bytes("same"));
        Outcome o = ConditionalUpdate.update(store, "k", cur -> Optional.empty(), 3);
        assertThat(o).isInstanceOfSatisfying(Outcome.Unchanged.class,
                u -> assertThat(u.current().orElseThrow().content()).isEqualTo(bytes("same")));
        assertThat(counting.snapshot().requests(Operation.REPLACE_IF_MATCH)).isZero();
    }

    @Test
    void lostRaceRereadsAndRetriesOnTheNewContent() {
        memory.put("k", bytes("a"));
        AtomicInteger calls = new AtomicInteger();
        Outcome o = ConditionalUpdate.update(store, "k", cur -> {
            if (calls.incrementAndGet() == 1) {
                memory.put("k", bytes("b"));        // someone else wins in between
            }
            return cur.map(b -> bytes(new String(b) + "+"));
        }, 3);
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("b+"));
    }

    @Test
    void givesUpAfterMaxAttemptsAsAValue() {
        memory.put("k", bytes("a"));
        for (int i = 0; i < 3; i++) {
            store.failNext(Operation.REPLACE_IF_MATCH, FaultType.SPURIOUS_CONFLICT);
        }
        Outcome o = ConditionalUpdate.update(store, "k", cur -> Optional.of(bytes("b")), 3);
        assertThat(o).isEqualTo(new Outcome.GaveUp(3));
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("a"));
    }

    @Test
    void backsOffAfterEachLostRaceButNotAfterTheLastAttempt() {
        memory.put("k", bytes("a"));
        for (int i = 0; i < 3; i++) {
            store.failNext(Operation.REPLACE_IF_MATCH, FaultType.SPURIOUS_CONFLICT);
        }
        java.util.List<Integer> pauses = new java.util.ArrayList<>();
        Outcome o = ConditionalUpdate.update(store, "k", cur -> Optional.of(bytes("b")), 3, pauses::add);
        assertThat(o).isEqualTo(new Outcome.GaveUp(3));
        assertThat(pauses).containsExactly(1, 2);
    }

    @Test
    void storeErrorsPropagate() {
        store.failNext(Operation.GET, FaultType.UNAVAILABLE_BEFORE);
        assertThatThrownBy(() -> ConditionalUpdate.update(store, "k", cur -> Optional.of(bytes("x")), 3))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> ConditionalUpdate.update(store, "k", cur -> Optional.of(bytes("x")), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- starting from a believed version (no GET) -------------------------------------------------

    @Test
    void aCurrentBelievedVersionCostsOneConditionalPutAndNoRead() {
        memory.put("k", bytes("1"));
        ObjectStore.StoredObject believed = memory.get("k").orElseThrow();
        Outcome o = ConditionalUpdate.update(store, "k", cur -> cur.map(b -> bytes(new String(b) + "2")), 3,
                Backoff.NONE, believed);
        assertThat(o).isInstanceOfSatisfying(Outcome.Updated.class, u -> {
            assertThat(u.attempts()).isEqualTo(1);
            assertThat(u.etag()).isEqualTo(memory.get("k").orElseThrow().etag());
        });
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("12"));
        assertThat(counting.snapshot().requests(Operation.GET)).isZero();
        assertThat(counting.snapshot().requests(Operation.REPLACE_IF_MATCH)).isEqualTo(1);
    }

    @Test
    void aStaleBelievedVersionLosesItsPutAndTheUpdateAppliesToAFreshRead() {
        memory.put("k", bytes("1"));
        ObjectStore.StoredObject believed = memory.get("k").orElseThrow();
        memory.put("k", bytes("1b"));                           // another instance wrote since
        Outcome o = ConditionalUpdate.update(store, "k", cur -> cur.map(b -> bytes(new String(b) + "+")), 3,
                Backoff.NONE, believed);
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("1b+"));
        assertThat(counting.snapshot().requests(Operation.GET)).isEqualTo(1);
    }

    @Test
    void noChangeOnAStaleBelievedVersionIsAskedAgainOfAFreshRead() {
        memory.put("k", bytes("done"));
        ObjectStore.StoredObject believed = memory.get("k").orElseThrow();
        memory.put("k", bytes("undone"));
        // On the believed copy the change looks applied already; the truth says otherwise.
        Outcome o = ConditionalUpdate.update(store, "k",
                cur -> cur.filter(b -> !new String(b).equals("done")).map(b -> bytes("done")), 3, Backoff.NONE, believed);
        assertThat(o.updated()).isTrue();
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("done"));
    }

    @Test
    void aRefusalOfAStaleBelievedVersionIsAskedAgainOfAFreshRead() {
        memory.put("k", bytes("closed"));
        ObjectStore.StoredObject believed = memory.get("k").orElseThrow();
        memory.put("k", bytes("open"));
        Outcome o = ConditionalUpdate.update(store, "k", cur -> {
            if (new String(cur.orElseThrow()).equals("closed")) {
                throw new IllegalStateException("closed");
            }
            return Optional.of(bytes("open+"));
        }, 3, Backoff.NONE, believed);
        assertThat(o.updated()).isTrue();
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("open+"));
    }

    @Test
    void aBelievedVersionOfADeletedObjectLosesAndTheUpdateCreatesIt() {
        memory.put("k", bytes("1"));
        ObjectStore.StoredObject believed = memory.get("k").orElseThrow();
        memory.delete("k");
        Outcome o = ConditionalUpdate.update(store, "k", cur -> Optional.of(bytes(cur.isEmpty() ? "new" : "old")), 3,
                Backoff.NONE, believed);
        assertThat(o.updated()).isTrue();
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("new"));
    }

    @Test
    void aBelievedVersionNeedsRoomForAFreshAttempt() {
        memory.put("k", bytes("1"));
        ObjectStore.StoredObject believed = memory.get("k").orElseThrow();
        assertThatThrownBy(() -> ConditionalUpdate.update(store, "k", cur -> cur, 1, Backoff.NONE, believed))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
