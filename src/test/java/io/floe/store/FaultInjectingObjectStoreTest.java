package io.floe.store;

import static io.floe.store.ObjectStoreContractTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.store.FaultInjectingObjectStore.FaultType;
import io.floe.store.FaultInjectingObjectStore.Faults;
import io.floe.store.FaultInjectingObjectStore.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class FaultInjectingObjectStoreTest {

    static final Faults STORMY = new Faults(0.1, 0.1, 0.2, Duration.ofMillis(5));

    static RandomGenerator seeded(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    @Test
    void lostResponseReallyWrites() {
        MemoryObjectStore memory = new MemoryObjectStore();
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory);
        store.failNext(Operation.CREATE_IF_ABSENT, FaultType.LOST_RESPONSE);
        assertThatThrownBy(() -> store.createIfAbsent("k", bytes("v")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("v"));
        // The retry the caller makes then sees its own object: Conflict, and must re-read to know.
        assertThat(store.createIfAbsent("k", bytes("v"))).isEqualTo(ObjectStore.WriteResult.CONFLICT);
    }

    @Test
    void unavailableBeforeWritesNothing() {
        MemoryObjectStore memory = new MemoryObjectStore();
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory);
        store.failNext(Operation.PUT, FaultType.UNAVAILABLE_BEFORE);
        assertThatThrownBy(() -> store.put("k", bytes("v"))).isInstanceOf(StoreException.class);
        assertThat(memory.get("k")).isEmpty();
        store.put("k", bytes("v"));           // one-shot: the next one goes through
        assertThat(memory.get("k")).isPresent();
        assertThat(store.injectedFaults()).isEqualTo(1);
    }

    @Test
    void spuriousConflictWritesNothing() {
        MemoryObjectStore memory = new MemoryObjectStore();
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory);
        String etag = memory.put("k", bytes("v1"));
        store.failNext(Operation.REPLACE_IF_MATCH, FaultType.SPURIOUS_CONFLICT);
        assertThat(store.replaceIfMatch("k", bytes("v2"), etag)).isEqualTo(ObjectStore.WriteResult.CONFLICT);
        assertThat(memory.get("k").orElseThrow().content()).isEqualTo(bytes("v1"));
        assertThat(store.replaceIfMatch("k", bytes("v2"), etag).written()).isTrue();
    }

    @Test
    void faultsThatDoNotApplyAreRejected() {
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(new MemoryObjectStore());
        assertThatThrownBy(() -> store.failNext(Operation.GET, FaultType.LOST_RESPONSE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.failNext(Operation.PUT, FaultType.SPURIOUS_CONFLICT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameSeedGivesTheSameRun() {
        assertThat(trace(42)).isEqualTo(trace(42));
        assertThat(trace(42)).isNotEqualTo(trace(43));
        assertThat(trace(42)).anyMatch(s -> s.contains("injected fault")).anyMatch(s -> s.startsWith("Conflict"));
    }

    @Test
    void latencyGoesThroughTheSleeper() {
        List<Duration> slept = new ArrayList<>();
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(new MemoryObjectStore(), seeded(1),
                new Faults(0, 0, 0, Duration.ofMillis(10)), slept::add);
        store.get("k");
        store.put("k", bytes("v"));
        assertThat(slept).hasSize(2).allMatch(d -> d.compareTo(Duration.ofMillis(10)) <= 0);
    }

    /** A single-threaded run of 300 mixed requests; each line records the answer or the fault. */
    static List<String> trace(long seed) {
        MemoryObjectStore memory = new MemoryObjectStore();
        FaultInjectingObjectStore store = new FaultInjectingObjectStore(memory, seeded(seed), STORMY, Sleeper.NONE);
        List<String> trace = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String key = "k" + (i % 7);
            try {
                trace.add(switch (i % 4) {
                    case 0 -> store.createIfAbsent(key, bytes("v" + i)).toString();
                    case 1 -> store.get(key).map(o -> o.etag()).orElse("absent");
                    case 2 -> store.replaceIfMatch(key, bytes("v" + i),
                            memory.get(key).map(o -> o.etag()).orElse("none")).toString();
                    default -> store.list("", null, 100).toString();
                });
            } catch (StoreException e) {
                trace.add(e.getMessage());
            }
        }
        trace.add(memory.list("", null, 100).toString());
        return trace;
    }
}
