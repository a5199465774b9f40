package io.floe.group;

import static io.floe.group.GroupChecks.rebalancing;
import static io.floe.group.GroupChecks.unknownGroup;
import static io.floe.group.GroupChecks.unknownMember;

import io.floe.model.FloeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Classic joins and syncs waiting for a group to reach the state that answers them, per group.
 * Every read or write of a group object hands the new version to {@link #resolve}; a waiter past
 * its deadline fails with REBALANCE_IN_PROGRESS. Thread-safe: a concurrent map of lists, each list
 * guarded by its own monitor.
 */
final class Waiters {

    private final Clock clock;
    private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();

    Waiters(Clock clock) {
        this.clock = clock;
    }

    void add(Waiter w) {
        List<Waiter> ws = waiters.computeIfAbsent(w.groupId(), g -> new ArrayList<>());
        synchronized (ws) {
            ws.add(w);
        }
    }

    /** The groups that have waiters now. */
    Set<String> groups() {
        return waiters.keySet();
    }

    /** Lets waiters of a group look at a new version of it (called after every read or write). */
    void resolve(String groupId, GroupDoc d) {
        List<Waiter> ws = waiters.get(groupId);
        if (ws == null) {
            return;
        }
        long now = clock.millis();
        synchronized (ws) {
            ws.removeIf(w -> {
                if (d == null) {
                    w.fail(unknownGroup(groupId));
                    return true;
                }
                if (now > w.deadlineMs()) {
                    w.fail(rebalancing(groupId));
                    return true;
                }
                return w.tryResolve(d, now);
            });
            if (ws.isEmpty()) {
                waiters.remove(groupId, ws);
            }
        }
    }

    /** Fails every waiter with a fresh error from {@code error} and forgets them (shutdown). */
    void failAll(Supplier<FloeException> error) {
        for (List<Waiter> ws : waiters.values()) {
            synchronized (ws) {
                ws.forEach(w -> w.fail(error.get()));
            }
        }
        waiters.clear();
    }

    sealed interface Waiter permits JoinWaiter, SyncWaiter {
        String groupId();

        long deadlineMs();

        /** Completes (or fails) the future if {@code d} answers it; true when done. */
        boolean tryResolve(GroupDoc d, long now);

        void fail(FloeException e);
    }

    record JoinWaiter(String groupId, String memberId, int startGeneration, long deadlineMs,
                      CompletableFuture<JoinResult> future) implements Waiter {
        JoinWaiter(String groupId, String memberId, int startGeneration, long deadlineMs) {
            this(groupId, memberId, startGeneration, deadlineMs, new CompletableFuture<>());
        }

        @Override
        public boolean tryResolve(GroupDoc d, long now) {
            GroupDoc.Member m = d.members.get(memberId);
            if (m == null) {
                return fail0(unknownMember(groupId, memberId));
            }
            if (!m.pendingJoin && m.joinedGeneration > startGeneration && d.generation == m.joinedGeneration) {
                return future.complete(ClassicProtocol.joinResult(d, m)) || true;
            }
            if (!m.pendingJoin && d.generation > startGeneration) {
                // Formed a generation without us (we were dropped and re-added?) — rejoin.
                return fail0(rebalancing(groupId));
            }
            return false;
        }

        private boolean fail0(FloeException e) {
            future.completeExceptionally(e);
            return true;
        }

        @Override
        public void fail(FloeException e) {
            future.completeExceptionally(e);
        }
    }

    record SyncWaiter(String groupId, String memberId, int generation, long deadlineMs,
                      CompletableFuture<SyncResult> future) implements Waiter {
        SyncWaiter(String groupId, String memberId, int generation, long deadlineMs) {
            this(groupId, memberId, generation, deadlineMs, new CompletableFuture<>());
        }

        @Override
        public boolean tryResolve(GroupDoc d, long now) {
            GroupDoc.Member m = d.members.get(memberId);
            if (m == null) {
                future.completeExceptionally(unknownMember(groupId, memberId));
                return true;
            }
            if (d.generation != generation || d.state == GroupState.PREPARING_REBALANCE) {
                future.completeExceptionally(rebalancing(groupId));
                return true;
            }
            if (d.state == GroupState.STABLE) {
                future.complete(new SyncResult(d.protocolType, d.protocolName, m.assignment.bytes()));
                return true;
            }
            return false;
        }

        @Override
        public void fail(FloeException e) {
            future.completeExceptionally(e);
        }
    }
}
