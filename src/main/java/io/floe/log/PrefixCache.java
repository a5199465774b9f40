package io.floe.log;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Whole flush objects (their first {@code prefixBytes}) read for {@link SegmentCache}, least recently
 * used out first, each kept at most {@code maxAge}. Concurrent readers of one object share one load.
 *
 * <p>Plain LRU on purpose (D92): a catching-up consumer of several partitions reads each object
 * once per partition within a short time, and the next object right after; Caffeine's frequency-based
 * admission, with a window far smaller than one such object, turned new objects away in favour of
 * ones already read by every partition, and the consumer read each object 2–4 times. Thread-safe.
 *
 * <p>{@link SegmentCache} serves entries as views of these arrays while they are held here, so an array
 * dropped from here is reported to {@code onDrop} (outside the lock), once per array (D103).
 */
final class PrefixCache {

    private record Slot(CompletableFuture<byte[]> bytes, long loadedMs) {
    }

    private final long maxBytes;
    private final long maxAgeMs;
    private final Clock clock;
    /** Access order: the first is the least recently used. Guarded by this. */
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);

    /** Told the key of every loaded array this cache stops holding (evicted, expired or replaced). */
    private final java.util.function.Consumer<String> onDrop;

    PrefixCache(long maxBytes, java.time.Duration maxAge, Clock clock) {
        this(maxBytes, maxAge, clock, key -> { });
    }

    PrefixCache(long maxBytes, java.time.Duration maxAge, Clock clock, java.util.function.Consumer<String> onDrop) {
        this.onDrop = onDrop;
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAge.toMillis();
        this.clock = clock;
    }

    /** The object's bytes, from memory, from a load in flight, or loaded now by {@code load}. */
    CompletableFuture<byte[]> get(String key, Function<String, CompletableFuture<byte[]>> load) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        Slot slot;
        boolean replaced;
        synchronized (this) {
            long now = clock.millis();
            Slot held = slots.get(key);
            if (held != null && now - held.loadedMs() < maxAgeMs && !held.bytes().isCompletedExceptionally()) {
                return held.bytes();
            }
            slot = new Slot(mine, now);
            replaced = held != null && weight(held) > 0;
            slots.put(key, slot);
        }
        if (replaced) {
            onDrop.accept(key);
        }
        load.apply(key).whenComplete((bytes, error) -> {
            List<String> dropped = new ArrayList<>();
            synchronized (this) {
                if (error != null) {
                    slots.remove(key, slot);
                } else {
                    evict(key, dropped);
                }
            }
            try {
                dropped.forEach(onDrop); // before the waiters wake: a reader's load, once complete, sees what it dropped
            } finally {
                if (error != null) {
                    mine.completeExceptionally(error);
                } else {
                    mine.complete(bytes);
                }
            }
        });
        return mine;
    }

    /**
     * Runs {@code action} if this cache holds {@code bytes} under {@code key}, atomically with respect to
     * dropping it: an action that ran is always followed by {@code onDrop(key)} once the array goes.
     */
    synchronized boolean whileHeld(String key, byte[] bytes, Runnable action) {
        Slot held = slots.get(key);
        if (held == null || held.bytes().getNow(null) != bytes) {
            return false;
        }
        action.run();
        return true;
    }

    /** Drops expired objects, then the least recently used until the loaded ones fit; never {@code keep}. */
    private void evict(String keep, List<String> dropped) {
        long now = clock.millis();
        slots.entrySet().removeIf(e -> {
            boolean expired = now - e.getValue().loadedMs() >= maxAgeMs && !e.getKey().equals(keep);
            if (expired && weight(e.getValue()) > 0) {
                dropped.add(e.getKey());
            }
            return expired;
        });
        long held = 0;
        for (Slot s : slots.values()) {
            held += weight(s);
        }
        Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator();
        while (held > maxBytes && it.hasNext()) {
            Map.Entry<String, Slot> eldest = it.next();
            if (!eldest.getKey().equals(keep)) {
                held -= weight(eldest.getValue());
                if (weight(eldest.getValue()) > 0) {
                    dropped.add(eldest.getKey());
                }
                it.remove();
            }
        }
    }

    private static long weight(Slot s) {
        byte[] b = s.bytes().getNow(null);
        return b == null ? 0 : b.length;
    }
}
