package io.floe.log;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Record batches waiting for the next group commit. Producers add; the flusher drains everything
 * at once. Thread-safe; the flusher thread waits on it for the flush policy to say "now".
 */
final class WriteBuffer {

    /**
     * One appended run of batches for one partition, and who to tell its base offset. {@code producer}
     * is null unless the batches carry a producer id; then the run is accepted or refused when its
     * commit is written (a retry is answered with the original offset).
     */
    record Pending(Topic topic, int partition, ByteBuffer bytes, int offsetCount, long maxTimestamp,
                   CompletableFuture<Long> baseOffset, ProducerTable.Append producer) {

        Pending(Topic topic, int partition, ByteBuffer bytes, int offsetCount, long maxTimestamp,
                CompletableFuture<Long> baseOffset) {
            this(topic, partition, bytes, offsetCount, maxTimestamp, baseOffset, null);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long maxBytes;
    private List<Pending> pending = new ArrayList<>();
    /** When each pending append arrived, in the same order. */
    private List<Long> arrivals = new ArrayList<>();
    private long bytes;
    /** Bytes drained into flushes whose commits are not yet done: they hold memory too. */
    private long flying;
    private long offsets;
    private long newestMs;
    private boolean flushRequested;
    private final WriteRate rate = new WriteRate();

    WriteBuffer(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Buffers all of {@code appends} or none of them: refuses (retryably) when the buffer is full
     * because the store is slower than the producers.
     */
    void add(List<Pending> appends, long nowMs) {
        long size = appends.stream().mapToLong(p -> p.bytes().remaining()).sum();
        lock.lock();
        try {
            if (bytes + flying > 0 && bytes + flying + size > maxBytes) {
                throw new FloeException(ErrorCode.STORE_UNAVAILABLE, "Floe is writing to the object store more slowly than"
                        + " records arrive (" + bytes + " bytes are waiting for a flush); retry shortly.");
            }
            for (Pending p : appends) {
                pending.add(p);
                arrivals.add(nowMs);
                bytes += p.bytes().remaining();
                offsets += p.offsetCount();
            }
            newestMs = nowMs;
            rate.add(size, nowMs);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes everything buffered. */
    List<Pending> drain() {
        return drain(Long.MAX_VALUE);
    }

    /**
     * Takes the oldest appends, in arrival order, up to {@code maxBytes} (at least one append, however
     * large), so that a flush object stays within the size its readers fetch with one GET.
     */
    List<Pending> drain(long maxBytes) {
        lock.lock();
        try {
            int n = 0;
            long taken = 0;
            long takenOffsets = 0;
            while (n < pending.size()) {
                long size = pending.get(n).bytes().remaining();
                if (n > 0 && taken + size > maxBytes) {
                    break;
                }
                taken += size;
                takenOffsets += pending.get(n).offsetCount();
                n++;
            }
            List<Pending> out;
            if (n == pending.size()) {
                out = pending;
                pending = new ArrayList<>();
                arrivals = new ArrayList<>();
                flushRequested = false;
            } else {
                out = new ArrayList<>(pending.subList(0, n));
                pending = new ArrayList<>(pending.subList(n, pending.size()));
                arrivals = new ArrayList<>(arrivals.subList(n, arrivals.size()));
            }
            bytes -= taken;
            flying += taken;
            offsets -= takenOffsets;
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** A flush of {@code drainedBytes} (as {@link #drain(long)} took them) is committed or failed: their memory is free. */
    void flushed(long drainedBytes) {
        lock.lock();
        try {
            flying -= drainedBytes;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Appends waiting for a flush. */
    int pendingAppends() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether anything waits for a flush. */
    boolean isEmpty() {
        return pendingAppends() == 0;
    }

    void requestFlush() {
        lock.lock();
        try {
            flushRequested = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks the flusher thread until the policy says a flush is due, or {@code stopped} turns true
     * (checked whenever {@link #wakeUp()} is called, as when a flush completes). Checks and waits
     * under one lock, so an add is never missed.
     */
    void awaitFlushDue(FlushPolicy policy, java.time.Clock clock, java.util.function.IntSupplier inFlight,
                       java.util.function.BooleanSupplier stopped) throws InterruptedException {
        lock.lock();
        try {
            while (!stopped.getAsBoolean()) {
                int flying = inFlight.getAsInt();
                long now = clock.millis();
                long wait = flushRequested && !pending.isEmpty() && flying < policy.maxInFlight() ? 0
                        : policy.millisUntilFlush(buffered(now), now, flying);
                if (wait == 0) {
                    return;
                }
                changed.await(Math.min(wait, 1000), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private FlushPolicy.Buffered buffered(long nowMs) {
        long oldest = arrivals.isEmpty() ? nowMs : arrivals.get(0);
        return new FlushPolicy.Buffered(bytes, offsets, oldest, newestMs, rate.bytesPerSecond(nowMs));
    }

    void wakeUp() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
