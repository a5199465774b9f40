package io.floe.share;

import io.floe.format.RecordBatches;
import io.floe.log.FetchRequest;
import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.model.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serves one share-partition of a fetch or acknowledgement: reads the share-partition object and the log
 * data that can be delivered (as this instance knows the log: no read of the chain head), then one
 * compare-and-swap applies the acknowledgements and acquires within that data. Also the long poll of a
 * fetch that found nothing. Part of {@link ShareGroups}; thread-safe (no state of its own).
 */
final class SharePartitionServer {

    private final LogEngine log;
    private final Clock clock;
    private final ShareSettings settings;
    private final ShareObjects objects;
    private final ShareMembership.Topics topics;

    SharePartitionServer(LogEngine log, Clock clock, ShareSettings settings, ShareObjects objects, ShareMembership.Topics topics) {
        this.log = log;
        this.clock = clock;
        this.settings = settings;
        this.objects = objects;
        this.topics = topics;
    }

    static long count(List<AcquiredRecords> acquired) {
        return acquired.stream().mapToLong(a -> a.lastOffset() - a.firstOffset() + 1).sum();
    }

    /** One share-partition of a request: acknowledgements, then up to {@code budget} records; one write. */
    ShareFetchResult.Partition serve(ShareGroupDoc group, String memberId, TopicPartition tp, List<Acknowledgement> acks,
                                             long budget, int maxBytes, Map<TopicPartition, Long> waitAt) {
        Topic topic;
        try {
            topic = log.topic(tp.topic());
            topic.checkPartition(tp.partition());
        } catch (FloeException e) {
            return ShareFetchResult.Partition.failed(e, acks.isEmpty() ? null : e);
        }
        if (acks.isEmpty() && budget <= 0) {
            return ShareFetchResult.Partition.failed(null, null); // nothing to do here: no read, no write
        }
        long now = clock.millis();
        ShareLimits limits = group.limits(settings.limits());
        SharePartitionState initial = SharePartitionState.initial(initialStart(group, topic, tp.partition()));
        // Read what can be delivered before the compare-and-swap, so that the swap itself is pure. The log is
        // read as this instance knows it (no read of the chain head: a fetch that finds nothing waits on it).
        FetchResult data = null;
        long from = -1;
        long logStart = 0; // unknown without data: the start offset then follows the log at the next read
        if (budget > 0) {
            SharePartitionState seen = objects.readPartition(group.groupId(), topic.id(), tp.partition()).orElse(initial);
            from = seen.nextDeliverable(now, limits);
            for (int attempt = 0; from >= 0 && data == null && attempt < 2; attempt++) {
                try {
                    data = log.fetchAvailable(tp.topic(), tp.partition(), from, Math.max(1, maxBytes)).join();
                    logStart = data.logStartOffset();
                    waitAt.put(tp, Math.max(from, data.nextOffset()));
                } catch (java.util.concurrent.CompletionException | io.floe.model.OffsetOutOfRangeException e) {
                    Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (!(c instanceof io.floe.model.OffsetOutOfRangeException range)) {
                        throw e;
                    }
                    if (from >= range.logStartOffset()) {
                        waitAt.put(tp, range.endOffset()); // past the end this instance knows: wait there
                        break;
                    }
                    logStart = range.logStartOffset(); // retention passed the share-partition's start
                    seen = seen.advanceStartTo(logStart);
                    from = seen.nextDeliverable(now, limits);
                }
            }
            if (data != null && data.batches().isEmpty()) {
                data = null;
            }
        }
        if (data == null && acks.isEmpty()) {
            return ShareFetchResult.Partition.failed(null, null); // nothing deliverable, nothing to acknowledge: no write
        }
        FetchResult read = data;
        long dataFrom = from;
        Set<Long> present = new HashSet<>();
        if (read != null) {
            for (FetchedRecord r : read.records()) {
                present.add(r.offset());
            }
        }
        long dataEnd = read == null ? from : read.nextOffset();
        long logStartSeen = logStart;
        int maxRecords = (int) Math.min(Integer.MAX_VALUE, budget);
        Served served = objects.updatePartition(group.groupId(), topic.id(), tp.partition(), initial, current -> {
            SharePartitionState s = current.advanceStartTo(logStartSeen);
            FloeException ackError = null;
            if (!acks.isEmpty()) {
                SharePartitionState.AckOutcome a = s.acknowledge(memberId, acks, now, limits);
                if (a.applied()) {
                    s = a.state();
                } else {
                    ackError = new FloeException(ErrorCode.INVALID_RECORD_STATE, "Acknowledgement of " + tp + " refused: "
                            + a.refusal().reason() + "; nothing of it was applied.");
                }
            }
            List<AcquiredRecords> acquired = List.of();
            if (read != null) {
                SharePartitionState.Acquisition q = s.acquire(memberId, dataFrom, dataEnd, present::contains, maxRecords, now, limits);
                s = q.state();
                acquired = q.acquired();
            }
            return new ShareObjects.Change<>(s, new Served(ackError, acquired));
        }).value();
        return new ShareFetchResult.Partition(served.ackError(), null, served.acquired(),
                served.acquired().isEmpty() ? List.of() : batchesHolding(read, served.acquired()));
    }

    private record Served(FloeException ackError, List<AcquiredRecords> acquired) {
    }

    /** Where a share-partition starts when first read: fixed by the group when the topic was first assigned. */
    private long initialStart(ShareGroupDoc group, Topic topic, int partition) {
        ShareGroupDoc.TopicStart s = group.starts().get(topic.name());
        if (s != null && s.topicId().equals(topic.id()) && s.startOffsets().containsKey(partition)) {
            return s.startOffsets().get(partition);
        }
        return topics.initialStart(topic.name(), partition, group.autoOffsetReset());
    }

    /** The batches of {@code read} that hold an acquired record. */
    private static List<ByteBuffer> batchesHolding(FetchResult read, List<AcquiredRecords> acquired) {
        long first = acquired.getFirst().firstOffset();
        long last = acquired.getLast().lastOffset();
        List<ByteBuffer> out = new ArrayList<>();
        for (ByteBuffer b : read.batches()) {
            ByteBuffer cut = RecordBatches.below(RecordBatches.fromOffset(b, first), last + 1);
            if (cut.hasRemaining()) {
                out.add(cut);
            }
        }
        return out;
    }

    /**
     * Waits up to {@code maxWait} for a record in any of {@code partitions}: at {@code waitAt} where the
     * serve pass saw its deliverable records end, else (a window full of locked records, an unknown end) at
     * the partition's end offset, which costs a read of the chain head.
     */
    void waitForRecords(List<TopicPartition> partitions, Map<TopicPartition, Long> waitAt, Duration maxWait) {
        List<FetchRequest.Partition> at = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            try {
                Long offset = waitAt.get(tp);
                at.add(new FetchRequest.Partition(tp.topic(), tp.partition(),
                        offset != null ? offset : log.offsets(tp.topic(), tp.partition()).endOffset(), 1));
            } catch (FloeException e) {
                // an unknown topic or partition has nothing to wait for
            }
        }
        if (!at.isEmpty()) {
            log.fetch(new FetchRequest(at, 1, 1, maxWait)).join();
        }
    }
}
