package io.floe.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Wraps an {@link ObjectStore} and injects the failures S3 produces, for tests and the seeded
 * simulation: errors before a request is served, writes whose answer is lost, spurious conflicts
 * of conditional writes, and latency.
 *
 * <p>Random faults are drawn from the injected {@link RandomGenerator} with the probabilities of
 * {@link Faults}; one-shot faults queued by {@link #failNext(Operation, FaultType)} are applied
 * first, in order, to the next requests of that operation. Deterministic: driven from one thread
 * with the same seed, the same calls get the same faults. Thread-safe (draws are serialised), but
 * with several threads the interleaving, and so the faults each call gets, is not deterministic.
 */
public final class FaultInjectingObjectStore implements ObjectStore {

    /** The faults a request can be given. */
    public enum FaultType {
        /** Throw {@link StoreException.Kind#UNAVAILABLE} without touching the store (5xx, 503 SlowDown, refused). */
        UNAVAILABLE_BEFORE,
        /** Perform the request, then throw UNAVAILABLE: the write happened but its answer was lost (timeout). */
        LOST_RESPONSE,
        /** Answer {@code Conflict} to a conditional write without writing (S3's 409 under contention). */
        SPURIOUS_CONFLICT
    }

    /**
     * Probabilities, each in [0, 1], of the faults injected into every request they apply to.
     *
     * @param unavailableBefore any request: fail before it is served
     * @param lostResponse      writes: perform, then fail
     * @param spuriousConflict  conditional writes: Conflict without writing
     * @param maxLatency        each request sleeps a uniform random time in [0, maxLatency] (zero: none)
     */
    public record Faults(double unavailableBefore, double lostResponse, double spuriousConflict, Duration maxLatency) {
        public static final Faults NONE = new Faults(0, 0, 0, Duration.ZERO);

        public Faults {
            for (double p : new double[] {unavailableBefore, lostResponse, spuriousConflict}) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("fault probabilities must be in [0, 1]: " + p);
                }
            }
            if (maxLatency.isNegative()) {
                throw new IllegalArgumentException("maxLatency must not be negative");
            }
        }
    }

    /** How latency is spent: {@link Thread#sleep} in benchmarks, nothing (or a simulated clock) in simulation. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper NONE = d -> {
        };
        Sleeper REAL = d -> {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(StoreException.Kind.UNAVAILABLE, "interrupted", e);
            }
        };

        void sleep(Duration duration);
    }

    private final ObjectStore delegate;
    private final RandomGenerator random;
    private final Sleeper sleeper;
    private volatile Faults faults;
    private final Map<Operation, Queue<FaultType>> oneShots = new EnumMap<>(Operation.class);
    private final AtomicLong injected = new AtomicLong();

    public FaultInjectingObjectStore(ObjectStore delegate, RandomGenerator random, Faults faults, Sleeper sleeper) {
        this.delegate = delegate;
        this.random = random;
        this.faults = faults;
        this.sleeper = sleeper;
    }

    /** No random faults, no latency: only the one-shot faults of {@link #failNext}. */
    public FaultInjectingObjectStore(ObjectStore delegate) {
        this(delegate, RandomGenerator.of("L64X128MixRandom"), Faults.NONE, Sleeper.NONE);
    }

    /** Changes the probabilities from now on (e.g. a calm phase, then a storm). */
    public void setFaults(Faults faults) {
        this.faults = faults;
    }

    /**
     * Gives the next request of {@code operation} the fault {@code type}. Queued faults are used once,
     * in order. A fault that does not apply to the operation (a lost response of a read, a conflict
     * of an unconditional write) is rejected.
     */
    public synchronized void failNext(Operation operation, FaultType type) {
        if ((type == FaultType.LOST_RESPONSE && !operation.isWrite())
                || (type == FaultType.SPURIOUS_CONFLICT && !operation.isConditional())) {
            throw new IllegalArgumentException(type + " does not apply to " + operation);
        }
        oneShots.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(type);
    }

    /** How many faults have been injected so far. */
    public long injectedFaults() {
        return injected.get();
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return run(Operation.GET, () -> delegate.get(key));
    }

    @Override
    public Optional<StoredObject> getRange(String key, long position, int length) {
        return run(Operation.RANGE_GET, () -> delegate.getRange(key, position, length));
    }

    @Override
    public WriteResult createIfAbsent(String key, byte[] content) {
        return run(Operation.CREATE_IF_ABSENT, () -> delegate.createIfAbsent(key, content));
    }

    @Override
    public WriteResult replaceIfMatch(String key, byte[] content, String expectedEtag) {
        return run(Operation.REPLACE_IF_MATCH, () -> delegate.replaceIfMatch(key, content, expectedEtag));
    }

    @Override
    public String put(String key, byte[] content) {
        return run(Operation.PUT, () -> delegate.put(key, content));
    }

    @Override
    public List<ObjectInfo> list(String prefix, String startAfter, int limit) {
        return run(Operation.LIST, () -> delegate.list(prefix, startAfter, limit));
    }

    @Override
    public void delete(String key) {
        run(Operation.DELETE, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    @SuppressWarnings("unchecked")
    private <T> T run(Operation op, Supplier<T> request) {
        Duration latency = Duration.ZERO;
        FaultType fault;
        synchronized (this) {
            Faults f = faults;
            if (!f.maxLatency().isZero()) {
                latency = Duration.ofNanos((long) (random.nextDouble() * f.maxLatency().toNanos()));
            }
            fault = drawFault(op, f);
        }
        if (!latency.isZero()) {
            sleeper.sleep(latency);
        }
        if (fault == null) {
            return request.get();
        }
        injected.incrementAndGet();
        return switch (fault) {
            case UNAVAILABLE_BEFORE -> throw new StoreException(StoreException.Kind.UNAVAILABLE,
                    "injected fault: " + op + " failed before it was served (like a 503 SlowDown)");
            case LOST_RESPONSE -> {
                request.get();
                throw new StoreException(StoreException.Kind.UNAVAILABLE,
                        "injected fault: " + op + " was performed but its answer was lost (like a timeout)");
            }
            case SPURIOUS_CONFLICT -> (T) WriteResult.CONFLICT;
        };
    }

    /** Always draws the same number of randoms per operation kind, so one fault does not shift later draws. */
    private FaultType drawFault(Operation op, Faults f) {
        double before = random.nextDouble();
        double lost = op.isWrite() ? random.nextDouble() : 1;
        double conflict = op.isConditional() ? random.nextDouble() : 1;
        Queue<FaultType> queued = oneShots.get(op);
        if (queued != null && !queued.isEmpty()) {
            return queued.poll();
        }
        if (before < f.unavailableBefore()) {
            return FaultType.UNAVAILABLE_BEFORE;
        }
        if (conflict < f.spuriousConflict()) {
            return FaultType.SPURIOUS_CONFLICT;
        }
        if (lost < f.lostResponse()) {
            return FaultType.LOST_RESPONSE;
        }
        return null;
    }
}
