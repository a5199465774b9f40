package io.floe.share;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * The delivery state of one share-partition (group, topic, partition), as a value: the share-partition
 * start offset (SPSO: every record before it is acknowledged or archived) and the in-flight records from
 * there up to the end offset (SPEO: the first offset never delivered), in runs of equal state.
 *
 * <pre>
 *   startOffset                                         endOffset
 *       │ ACKED │ ACQUIRED m1 until t │ AVAILABLE (count 2) │ ARCHIVED │ (never delivered: log beyond)
 * </pre>
 *
 * <p>Every operation is a pure function returning a new value; the caller writes it with one
 * compare-and-swap ({@link SharePartitions}). Lock expiry is lazy and driven by the caller's clock: a
 * record ACQUIRED with a deadline at or before {@code now} counts as released (AVAILABLE, or ARCHIVED
 * once delivered {@link ShareLimits#deliveryCountLimit()} times) by every operation, so no timer and no
 * write is needed for a lock to expire. Invariants, checked by {@link #check()}: runs are contiguous from
 * the start offset, each non-empty; the first run is not final (final runs at the start are folded into
 * the start offset); only ACQUIRED runs have a member and a deadline; delivery counts are 0..limit.
 *
 * <p>Immutable and thread-safe.
 */
public record SharePartitionState(long startOffset, List<InFlight> inFlight) {

    public SharePartitionState {
        inFlight = List.copyOf(inFlight);
    }

    /** A share-partition that will deliver from {@code startOffset} on, with nothing in flight. */
    public static SharePartitionState initial(long startOffset) {
        return new SharePartitionState(startOffset, List.of());
    }

    /** The first offset never delivered. */
    public long endOffset() {
        return inFlight.isEmpty() ? startOffset : inFlight.getLast().lastOffset() + 1;
    }

    /** The run holding {@code offset}, or null when it is before the start or at/after the end. */
    public InFlight runOf(long offset) {
        for (InFlight r : inFlight) {
            if (offset >= r.firstOffset() && offset <= r.lastOffset()) {
                return r;
            }
        }
        return null;
    }

    /** How many records are ACQUIRED by anyone at {@code nowMs} (expired locks excluded). */
    public long acquiredCount(long nowMs) {
        return inFlight.stream().filter(r -> r.state() == RecordState.ACQUIRED && r.lockDeadlineMs() > nowMs)
                .mapToLong(r -> r.lastOffset() - r.firstOffset() + 1).sum();
    }

    /** The invariants of the class Javadoc; throws IllegalStateException naming the first one broken. */
    public SharePartitionState check(int deliveryCountLimit) {
        long next = startOffset;
        for (int i = 0; i < inFlight.size(); i++) {
            InFlight r = inFlight.get(i);
            if (r.firstOffset() != next) {
                throw new IllegalStateException("In-flight runs are not contiguous at " + next + ": " + this);
            }
            if (i == 0 && r.state().terminal()) {
                throw new IllegalStateException("A final run at the start offset was not folded into it: " + this);
            }
            if ((r.state() == RecordState.ACQUIRED) != (r.lockDeadlineMs() > 0)) {
                throw new IllegalStateException("Only acquired records have a lock deadline: " + this);
            }
            if (r.deliveryCount() < 0 || r.deliveryCount() > deliveryCountLimit) {
                throw new IllegalStateException("Delivery count outside 0.." + deliveryCountLimit + ": " + this);
            }
            next = r.lastOffset() + 1;
        }
        return this;
    }

    /**
     * Where an acquisition at {@code nowMs} would start: the first record that is AVAILABLE (expired locks
     * released), else the end offset when fewer than {@link ShareLimits#maxInFlight()} offsets are in
     * flight, else -1 (the window is full of records held by members).
     */
    public long nextDeliverable(long nowMs, ShareLimits limits) {
        Window w = new Window(this);
        w.expire(nowMs, limits.deliveryCountLimit());
        w.fold();
        for (long o = w.start; o < w.end(); o++) {
            if (w.state(o) == RecordState.AVAILABLE) {
                return o;
            }
        }
        return w.end() - w.start < limits.maxInFlight() ? w.end() : -1;
    }

    /** This state as an operation at {@code nowMs} sees it: expired locks released, final records folded. */
    public SharePartitionState at(long nowMs, ShareLimits limits) {
        Window w = new Window(this);
        w.expire(nowMs, limits.deliveryCountLimit());
        return w.toState();
    }

    // ---- operations ------------------------------------------------------------------------------

    /** Why an acknowledgement was refused; the state is then unchanged. */
    public record Refusal(long offset, String reason) {
    }

    /** The outcome of {@link #acknowledge}: the new state, or the refusal (exactly one is non-null). */
    public record AckOutcome(SharePartitionState state, Refusal refusal) {
        public boolean applied() {
            return refusal == null;
        }
    }

    /**
     * Applies a member's acknowledgements, all or none: every offset must be ACQUIRED by {@code memberId}
     * with its lock unexpired at {@code nowMs}, else nothing changes and the first offending offset is
     * refused (Kafka's INVALID_RECORD_STATE). A RELEASE of a record delivered the limit times archives it.
     */
    public AckOutcome acknowledge(String memberId, List<Acknowledgement> acks, long nowMs, ShareLimits limits) {
        Window w = new Window(this);
        w.expire(nowMs, limits.deliveryCountLimit());
        for (Acknowledgement a : acks) {
            for (long o = a.firstOffset(); o <= a.lastOffset(); o++) {
                String why = w.heldBy(o, memberId);
                if (why != null) {
                    return new AckOutcome(null, new Refusal(o, why));
                }
                w.settle(o, a.typeOf(o).target(), limits.deliveryCountLimit());
            }
        }
        return new AckOutcome(w.toState(), null);
    }

    /** The outcome of {@link #acquire}: the new state and what the member now holds (empty: nothing acquired). */
    public record Acquisition(SharePartitionState state, List<AcquiredRecords> acquired) {
        public long count() {
            return acquired.stream().mapToLong(a -> a.lastOffset() - a.firstOffset() + 1).sum();
        }
    }

    /**
     * Hands {@code memberId} up to {@code maxRecords} records from the offsets whose data the caller read,
     * {@code [dataFrom, dataEnd)}: first the AVAILABLE ones among those in flight (redeliveries), then new
     * ones from the end offset, keeping at most {@link ShareLimits#maxInFlight()} offsets in flight.
     * Offsets the log does not hold ({@code exists} false: compacted away, transaction markers) are
     * archived instead of delivered. Each acquired record's delivery count goes up by one and it is locked
     * until {@code nowMs} plus the lock duration.
     */
    public Acquisition acquire(String memberId, long dataFrom, long dataEnd, LongPredicate exists, int maxRecords, long nowMs,
                               ShareLimits limits) {
        Objects.requireNonNull(memberId, "memberId");
        Window w = new Window(this);
        w.expire(nowMs, limits.deliveryCountLimit());
        w.fold();
        long deadline = nowMs + limits.lockDuration().toMillis();
        List<AcquiredRecords> out = new ArrayList<>();
        long taken = 0;
        long from = Math.max(dataFrom, w.start);
        for (long o = from; o < Math.min(w.end(), dataEnd) && taken < maxRecords; o++) {
            if (w.state(o) == RecordState.AVAILABLE) {
                if (!exists.test(o)) {
                    w.set(o, RecordState.ARCHIVED, w.count(o), null, 0);
                    continue;
                }
                w.set(o, RecordState.ACQUIRED, w.count(o) + 1, memberId, deadline);
                add(out, o, w.count(o));
                taken++;
            }
        }
        for (long o = Math.max(from, w.end()); o < dataEnd && taken < maxRecords && o - w.start < limits.maxInFlight(); o++) {
            if (o > w.end()) {
                break; // the data does not continue the in-flight window; nothing can be skipped over
            }
            if (!exists.test(o)) {
                w.append(RecordState.ARCHIVED, 0, null, 0);
                continue;
            }
            w.append(RecordState.ACQUIRED, 1, memberId, deadline);
            add(out, o, 1);
            taken++;
        }
        return new Acquisition(w.toState(), out);
    }

    private static void add(List<AcquiredRecords> out, long offset, int count) {
        if (!out.isEmpty()) {
            AcquiredRecords last = out.getLast();
            if (last.lastOffset() + 1 == offset && last.deliveryCount() == count) {
                out.set(out.size() - 1, new AcquiredRecords(last.firstOffset(), offset, count));
                return;
            }
        }
        out.add(new AcquiredRecords(offset, offset, count));
    }

    /**
     * Releases every record {@code memberId} holds (it left the group or closed its share session): each
     * becomes AVAILABLE again, or ARCHIVED if delivered the limit times. The same state when it holds none.
     */
    public SharePartitionState releaseMember(String memberId, long nowMs, ShareLimits limits) {
        Window w = new Window(this);
        w.expire(nowMs, limits.deliveryCountLimit());
        for (long o = w.start; o < w.end(); o++) {
            if (w.state(o) == RecordState.ACQUIRED && memberId.equals(w.member(o))) {
                w.settle(o, RecordState.AVAILABLE, limits.deliveryCountLimit());
            }
        }
        return w.toState();
    }

    /**
     * Moves the start offset up to {@code offset} (the log's start moved past records by retention, or an
     * operator reset the share-partition): every record before it is archived, whatever its state. A start
     * offset past the end empties the window. Never moves the start offset back.
     */
    public SharePartitionState advanceStartTo(long offset) {
        if (offset <= startOffset) {
            return this;
        }
        Window w = new Window(this);
        for (long o = w.start; o < Math.min(offset, w.end()); o++) {
            w.set(o, RecordState.ARCHIVED, w.count(o), null, 0);
        }
        while (w.end() < offset) {
            w.append(RecordState.ARCHIVED, 0, null, 0);
        }
        return w.toState();
    }

    /**
     * The offsets from {@code startOffset} as a mutable per-offset table: a share-partition holds at most
     * a few thousand offsets in flight, so operations work offset by offset and {@link #toState()} folds
     * the table back into runs. Owned by one operation.
     */
    private static final class Window {
        long start;
        RecordState[] states;
        int[] counts;
        String[] members;
        long[] deadlines;
        int size;

        Window(SharePartitionState s) {
            start = s.startOffset;
            int n = (int) (s.endOffset() - s.startOffset);
            states = new RecordState[Math.max(16, n)];
            counts = new int[states.length];
            members = new String[states.length];
            deadlines = new long[states.length];
            for (InFlight r : s.inFlight) {
                for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                    int i = (int) (o - start);
                    states[i] = r.state();
                    counts[i] = r.deliveryCount();
                    members[i] = r.memberId();
                    deadlines[i] = r.lockDeadlineMs();
                }
            }
            size = n;
        }

        long end() {
            return start + size;
        }

        RecordState state(long o) {
            return states[(int) (o - start)];
        }

        int count(long o) {
            return counts[(int) (o - start)];
        }

        String member(long o) {
            return members[(int) (o - start)];
        }

        void set(long o, RecordState state, int count, String member, long deadline) {
            int i = (int) (o - start);
            states[i] = state;
            counts[i] = count;
            members[i] = member;
            deadlines[i] = deadline;
        }

        void append(RecordState state, int count, String member, long deadline) {
            if (size == states.length) {
                int n = states.length * 2;
                states = Arrays.copyOf(states, n);
                counts = Arrays.copyOf(counts, n);
                members = Arrays.copyOf(members, n);
                deadlines = Arrays.copyOf(deadlines, n);
            }
            size++;
            set(end() - 1, state, count, member, deadline);
        }

        /** Why {@code memberId} may not acknowledge {@code o}, or null when it holds it. */
        String heldBy(long o, String memberId) {
            if (o < start) {
                return "offset " + o + " is before the share-partition start offset " + start + " (already acknowledged or archived)";
            }
            if (o >= end()) {
                return "offset " + o + " was never delivered (the share-partition end offset is " + end() + ")";
            }
            if (state(o) != RecordState.ACQUIRED) {
                return "offset " + o + " is " + state(o) + ", not acquired (its acquisition lock may have expired)";
            }
            if (!memberId.equals(member(o))) {
                return "offset " + o + " is held by another member";
            }
            return null;
        }

        /** An acquired record leaves its member: to {@code target}, a release past the limit archived. */
        void settle(long o, RecordState target, int limit) {
            RecordState to = target == RecordState.AVAILABLE && count(o) >= limit ? RecordState.ARCHIVED : target;
            set(o, to, count(o), null, 0);
        }

        void expire(long now, int limit) {
            for (int i = 0; i < size; i++) {
                if (states[i] == RecordState.ACQUIRED && deadlines[i] <= now) {
                    settle(start + i, RecordState.AVAILABLE, limit);
                }
            }
        }

        /** Folds final records at the start into the start offset. */
        void fold() {
            int k = 0;
            while (k < size && states[k].terminal()) {
                k++;
            }
            if (k > 0) {
                int n = size - k;
                System.arraycopy(states, k, states, 0, n);
                System.arraycopy(counts, k, counts, 0, n);
                System.arraycopy(members, k, members, 0, n);
                System.arraycopy(deadlines, k, deadlines, 0, n);
                start += k;
                size = n;
            }
        }

        SharePartitionState toState() {
            fold();
            List<InFlight> runs = new ArrayList<>();
            int i = 0;
            while (i < size) {
                int j = i;
                while (j + 1 < size && states[j + 1] == states[i] && counts[j + 1] == counts[i]
                        && Objects.equals(members[j + 1], members[i]) && deadlines[j + 1] == deadlines[i]) {
                    j++;
                }
                runs.add(new InFlight(start + i, start + j, states[i], counts[i], members[i], deadlines[i]));
                i = j + 1;
            }
            return new SharePartitionState(start, runs);
        }
    }
}
