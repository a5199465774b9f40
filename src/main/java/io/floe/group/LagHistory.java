package io.floe.group;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Total lag of each consumer group over time, kept in memory on this instance only (never written
 * to the bucket): samples come from whoever already computed the lag — the lag metric's refresher
 * and the console's group page — so keeping the history costs no store request. At most
 * {@code capacity} samples per group; kept samples are at least {@code minSpacingMs} apart, except
 * the newest, which a newer sample replaces until it is that far from the one before it. Thread-safe: each group's series is guarded by its own lock.
 */
public final class LagHistory {

    /** One sample: when, and the group's total lag then. */
    public record Sample(long timeMs, long totalLag) {
    }

    private final int capacity;
    private final long minSpacingMs;
    private final Map<String, Deque<Sample>> series = new ConcurrentHashMap<>();

    public LagHistory(int capacity, long minSpacingMs) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.minSpacingMs = Math.max(0, minSpacingMs);
    }

    /** Records a group's total lag at {@code timeMs}. */
    public void record(String groupId, long timeMs, long totalLag) {
        Deque<Sample> s = series.computeIfAbsent(groupId, g -> new ArrayDeque<>());
        synchronized (s) {
            if (s.size() >= 2) {
                Sample last = s.pollLast();
                if (last.timeMs() - s.peekLast().timeMs() >= minSpacingMs) {
                    s.addLast(last);
                }
            }
            s.addLast(new Sample(timeMs, totalLag));
            while (s.size() > capacity) {
                s.pollFirst();
            }
        }
    }

    /** Records the lag of every partition of a group, summed. */
    public void record(String groupId, long timeMs, List<PartitionLag> lags) {
        record(groupId, timeMs, lags.stream().mapToLong(PartitionLag::lag).sum());
    }

    /** The samples of a group, oldest first; empty when none. */
    public List<Sample> samples(String groupId) {
        Deque<Sample> s = series.get(groupId);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            return new ArrayList<>(s);
        }
    }

    /** Forgets a deleted group. */
    public void forget(String groupId) {
        series.remove(groupId);
    }
}
