package io.floe.api.kafka;

import io.floe.format.BucketLayout;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.store.ConditionalUpdate;
import io.floe.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Allocates idempotent-producer ids that are unique across every Floe instance on the bucket. The
 * object {@code producer-ids} holds the next unallocated id; an instance takes a block of
 * {@link #BLOCK} ids by compare-and-swap and hands them out from memory. A block taken by an instance
 * that then stops is simply never used (ids are 63-bit; gaps cost nothing).
 *
 * <pre>
 * producer-ids   JSON {"version":1,"next":&lt;long&gt;,"taker":"&lt;uuid of the write&gt;"}
 * </pre>
 * The {@code taker} makes every write unique to its writer, as {@link ConditionalUpdate} requires.
 *
 * <p>Thread-safe: a lock guards the current block; taking a block blocks the caller on the store.
 */
final class ProducerIds {

    static final String KEY = BucketLayout.PRODUCER_IDS;
    static final long BLOCK = 1000;
    private static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*(\\d+)");

    private final ObjectStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private long next;
    private long end;

    ProducerIds(ObjectStore store) {
        this.store = store;
    }

    long next() {
        lock.lock();
        try {
            if (next >= end) {
                takeBlock();
            }
            return next++;
        } finally {
            lock.unlock();
        }
    }

    private void takeBlock() {
        long[] start = new long[1];
        String taker = UUID.randomUUID().toString();
        var outcome = ConditionalUpdate.update(store, KEY, current -> {
            long from = current.map(ProducerIds::decode).orElse(0L);
            start[0] = from;
            return Optional.of(encode(from + BLOCK, taker));
        }, 20);
        if (!(outcome instanceof ConditionalUpdate.Outcome.Updated)) {
            throw new FloeException(ErrorCode.CONCURRENT_UPDATE, "Could not allocate producer ids: too many concurrent "
                    + "allocations; retry.");
        }
        next = start[0];
        end = start[0] + BLOCK;
    }

    static byte[] encode(long next, String taker) {
        return ("{\"version\":1,\"next\":" + next + ",\"taker\":\"" + taker + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static long decode(byte[] content) {
        Matcher m = NEXT.matcher(new String(content, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new FloeException(ErrorCode.CORRUPT_OBJECT, "Object '" + KEY + "' has no \"next\" field.");
        }
        return Long.parseLong(m.group(1));
    }
}
