package io.floe.log;

import io.floe.format.Commit;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DeleteRecords: moves partitions' log start offsets forward exactly as retention does, with one
 * commit of TRUNCATE controls on the topic's chain ({@link Maintenance#commitControls}), so the new
 * log start is durable in the bucket, seen by every instance that reads the chain, and survives
 * checkpoints; fetches below it get OFFSET_OUT_OF_RANGE, ListOffsets EARLIEST returns it, and the
 * janitor deletes the objects no entry references any more after its grace period. A request below
 * the current log start changes nothing (and answers the current one); one above the high watermark
 * is OFFSET_OUT_OF_RANGE, as in Kafka. Thread-safe.
 */
final class RecordDeletion {

    /** Kafka's "up to the high watermark" (DeleteRecords' offset -1). */
    static final long HIGH_WATERMARK = -1;

    private final Maintenance maintenance;
    private volatile String writer;
    private final AtomicLong sequence = new AtomicLong();

    /** @param writer unique to this engine (instance id and a random nonce): commit ids must never repeat */
    RecordDeletion(Maintenance maintenance, String writer) {
        this.maintenance = maintenance;
        this.writer = writer;
    }

    /** Names this engine's deletion commits after {@code writer} from now on (see {@link LogEngine#renewIdentity}). */
    void renewWriter(String writer) {
        this.writer = writer;
    }

    DeletedRecords deleteBefore(Topic topic, Map<Integer, Long> before) {
        Maintenance.TopicView view = maintenance.view(topic);
        Map<Integer, FloeException> errors = new TreeMap<>();
        List<Commit.Control> truncates = new ArrayList<>();
        for (var e : before.entrySet()) {
            int p = e.getKey();
            Maintenance.PartitionView pv = view.partitions().get(p);
            if (p < 0 || p >= topic.partitions() || pv == null) {
                errors.put(p, FloeException.unknownPartition(topic.name(), p, topic.partitions()));
                continue;
            }
            long offset = e.getValue() == HIGH_WATERMARK ? pv.endOffset() : e.getValue();
            if (offset < 0 || offset > pv.endOffset()) {
                errors.put(p, new FloeException(ErrorCode.OFFSET_OUT_OF_RANGE, "Cannot delete records of partition " + p
                        + " of topic '" + topic.name() + "' before offset " + e.getValue() + ": the high watermark is "
                        + pv.endOffset() + "."));
            } else if (offset > pv.logStartOffset()) {
                truncates.add(new Commit.Truncate(p, offset));
            }
        }
        if (!truncates.isEmpty()) {
            maintenance.commitControls(topic, "delete-records-" + writer + "-" + sequence.incrementAndGet(), truncates);
            view = maintenance.view(topic);
        }
        Map<Integer, Long> starts = new TreeMap<>();
        for (int p : before.keySet()) {
            if (!errors.containsKey(p)) {
                starts.put(p, view.partitions().get(p).logStartOffset());
            }
        }
        return new DeletedRecords(starts, errors);
    }
}
