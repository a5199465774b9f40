package io.floe.log;

import io.floe.format.Commit;
import io.floe.format.CommitFormat;
import io.floe.format.IndexEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one topic's commit of a flush writes, decided against the chain as it stands where the
 * commit lands (a {@link Chain.Tip}): each pending run of a producer with an id is checked against
 * the partition's producer state (and the instance's {@link SequenceFence}) and accepted, answered as a
 * duplicate, or refused; the accepted runs get their offsets, back to back. Runs of one partition
 * accepted around a refused one become separate entries (the refused bytes stay unreferenced in the
 * segment). Pure: no I/O; a new plan is made for every round of the commit.
 */
final class CommitPlan {

    /** One partition's share of a flush: its pending appends in arrival order, concatenated in {@code bytes}. */
    record Run(int partition, List<WriteBuffer.Pending> appends, ByteBuffer bytes) {
    }

    private final List<CommitFormat.Draft> drafts = new ArrayList<>();
    private final List<IndexEntry> segmentEntries = new ArrayList<>();
    private final List<ByteBuffer> segmentBytes = new ArrayList<>();
    private final List<Commit.ProducerBatch> producerBatches = new ArrayList<>();
    private final Map<WriteBuffer.Pending, ProducerTable.Decision> decisions = new IdentityHashMap<>();
    private final Map<WriteBuffer.Pending, Long> bases = new IdentityHashMap<>();

    /**
     * @param positions where each run starts in the segment, or null when the flush is inline
     */
    CommitPlan(String topicId, Iterable<Run> runs, Chain.Tip tip, SequenceFence fence, String segmentKey,
               Map<Run, Long> positions) {
        this(topicId, runs, tip, fence, Map.of(), segmentKey, positions);
    }

    /**
     * @param refused appends refused before the plan, each with its error (a failed transaction verification)
     */
    CommitPlan(String topicId, Iterable<Run> runs, Chain.Tip tip, SequenceFence fence,
               Map<WriteBuffer.Pending, io.floe.model.FloeException> refused, String segmentKey, Map<Run, Long> positions) {
        for (Run r : runs) {
            long next = tip.endOffsets().get(r.partition());
            ProducerTable table = tip.producers().getOrDefault(r.partition(), new ProducerTable());
            int at = 0;
            int groupStart = -1;
            long groupBase = next;
            int groupCount = 0;
            long groupMaxTs = -1;
            for (WriteBuffer.Pending a : r.appends()) {
                int size = a.bytes().remaining();
                io.floe.model.FloeException refusal = refused.get(a);
                ProducerTable.Decision d = refusal != null ? new ProducerTable.Refuse(refusal)
                        : a.producer() == null ? new ProducerTable.Accept()
                        : fence.check(topicId, r.partition(), a.producer(), table);
                if (d == null) {
                    d = table.check(a.producer());
                }
                decisions.put(a, d);
                if (d instanceof ProducerTable.Accept) {
                    if (groupStart < 0) {
                        groupStart = at;
                        groupBase = next;
                        groupCount = 0;
                        groupMaxTs = -1;
                    }
                    bases.put(a, next);
                    if (a.producer() != null) {
                        ProducerTable.Append p = a.producer();
                        Commit.ProducerBatch b = new Commit.ProducerBatch(r.partition(), next, next + a.offsetCount() - 1,
                                p.producerId(), p.epoch(), p.firstSeq(), p.lastSeq(), p.kind());
                        table.apply(b, 0);
                        producerBatches.add(b);
                    }
                    next += a.offsetCount();
                    groupCount += a.offsetCount();
                    groupMaxTs = Math.max(groupMaxTs, a.maxTimestamp());
                } else if (groupStart >= 0) {
                    addEntry(r, groupStart, at, groupBase, groupCount, groupMaxTs, segmentKey, positions);
                    groupStart = -1;
                }
                at += size;
            }
            if (groupStart >= 0) {
                addEntry(r, groupStart, at, groupBase, groupCount, groupMaxTs, segmentKey, positions);
            }
        }
    }

    private void addEntry(Run r, int from, int to, long base, int count, long maxTs, String segmentKey, Map<Run, Long> positions) {
        ByteBuffer slice = r.bytes().duplicate().limit(to).position(from).slice();
        if (segmentKey == null) {
            drafts.add(new CommitFormat.Draft(r.partition(), base, count, maxTs, 0, to - from, slice));
        } else {
            long position = positions.get(r) + from;
            drafts.add(new CommitFormat.Draft(r.partition(), base, count, maxTs, position, to - from, null));
            segmentEntries.add(new IndexEntry(base, count, maxTs, segmentKey, position, to - from));
            segmentBytes.add(slice);
        }
    }

    /** Whether {@code a} was written by this plan (not a duplicate of a batch already in the log, not refused). */
    boolean accepted(WriteBuffer.Pending a) {
        return decisions.get(a) instanceof ProducerTable.Accept;
    }

    /** Whether nothing is to be written (every run was a duplicate or refused). */
    boolean empty() {
        return drafts.isEmpty();
    }

    List<CommitFormat.Draft> drafts() {
        return drafts;
    }

    List<Commit.ProducerBatch> producerBatches() {
        return producerBatches;
    }

    /** Segment entries of the plan with their bytes, for the read cache once written. */
    void forEachSegmentEntry(java.util.function.BiConsumer<IndexEntry, ByteBuffer> action) {
        for (int i = 0; i < segmentEntries.size(); i++) {
            action.accept(segmentEntries.get(i), segmentBytes.get(i));
        }
    }

    /** Completes every pending run once the commit exists: accepted at its offset, a duplicate at the original one. */
    void answer(String topicId, SequenceFence fence) {
        decisions.forEach((a, d) -> {
            switch (d) {
                case ProducerTable.Accept x -> {
                    if (a.producer() != null) {
                        fence.resolved(topicId, a.partition(), a.producer());
                    }
                    a.baseOffset().complete(bases.get(a));
                }
                case ProducerTable.Duplicate dup -> a.baseOffset().complete(dup.baseOffset());
                case ProducerTable.Refuse refuse -> a.baseOffset().completeExceptionally(refuse.error());
            }
        });
    }
}
