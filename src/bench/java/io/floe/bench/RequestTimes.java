package io.floe.bench;

import io.floe.store.Operation;
import io.floe.store.TimedObjectStore;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long each store request took and how many bytes it moved, per {@link Operation}, as a
 * {@link TimedObjectStore} reports them: where the write path's time goes (the engine has one flush
 * in flight, so its segment PUT plus commit PUT bound the flush rate). Thread-safe: one synchronized
 * {@link Samples} and one guarded byte count per operation.
 */
final class RequestTimes implements TimedObjectStore.Listener {

    private final Map<Operation, Samples> samples = new EnumMap<>(Operation.class);
    private final Map<Operation, long[]> bytes = new EnumMap<>(Operation.class);

    RequestTimes() {
        for (Operation op : Operation.values()) {
            samples.put(op, new Samples());
            bytes.put(op, new long[1]);
        }
    }

    @Override
    public void requestTook(Operation operation, long nanos, boolean failed, long size) {
        samples.get(operation).add(nanos);
        long[] b = bytes.get(operation);
        synchronized (b) {
            b[0] += size;
        }
    }

    /** Forgets everything recorded so far (end of warm-up). */
    void reset() {
        samples.values().forEach(Samples::clear);
        bytes.values().forEach(b -> {
            synchronized (b) {
                b[0] = 0;
            }
        });
    }

    Samples samples(Operation op) {
        return samples.get(op);
    }

    long bytes(Operation op) {
        long[] b = bytes.get(op);
        synchronized (b) {
            return b[0];
        }
    }
}
