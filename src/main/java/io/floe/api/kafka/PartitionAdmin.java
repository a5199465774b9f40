package io.floe.api.kafka;

import io.floe.log.DeletedRecords;
import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.FloeException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords and OffsetForLeaderEpoch, each a thin translation to the engine.
 *
 * <p>DeleteRecords moves log starts through the topic's chain as retention does
 * ({@link LogEngine#deleteRecords}); the low watermark answered is the log start after the request.
 *
 * <p>OffsetForLeaderEpoch: every Floe partition has one leader epoch, {@link #LEADER_EPOCH} (what
 * Metadata tells clients), starting at offset 0, so Floe answers as a Kafka broker whose epoch cache
 * holds that single entry: the current epoch ends at the log end offset; a later epoch is unknown
 * (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET); an earlier one ends where epoch 0 starts. A current
 * leader epoch in the request other than ours is FENCED_LEADER_EPOCH (older) or UNKNOWN_LEADER_EPOCH
 * (newer), as Kafka checks it. Stateless and thread-safe; calls block on the store.
 */
final class PartitionAdmin {

    /** The leader epoch of every partition. */
    static final int LEADER_EPOCH = 0;
    private static final int UNDEFINED_EPOCH = -1;
    private static final long UNDEFINED_EPOCH_OFFSET = -1;

    private final LogEngine engine;

    PartitionAdmin(LogEngine engine) {
        this.engine = engine;
    }

    DeleteRecordsResponseData deleteRecords(DeleteRecordsRequestData req) {
        DeleteRecordsResponseData out = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic t : req.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult tr = new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                    .setName(t.name());
            out.topics().add(tr);
            Map<Integer, Long> before = new TreeMap<>();
            t.partitions().forEach(p -> before.put(p.partitionIndex(), p.offset()));
            DeletedRecords done;
            short topicError = Errors.NONE.code();
            try {
                done = engine.deleteRecords(t.name(), before);
            } catch (RuntimeException e) {
                done = new DeletedRecords(Map.of(), Map.of());
                topicError = KafkaErrors.of(e).code();
            }
            for (int p : before.keySet()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult pr = new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                        .setPartitionIndex(p).setLowWatermark(-1);
                FloeException error = done.errors().get(p);
                if (topicError != Errors.NONE.code()) {
                    pr.setErrorCode(topicError);
                } else if (error != null) {
                    pr.setErrorCode(KafkaErrors.of(error).code());
                } else {
                    pr.setLowWatermark(done.logStartOffsets().get(p));
                }
                tr.partitions().add(pr);
            }
        }
        return out;
    }

    OffsetForLeaderEpochResponseData offsetForLeaderEpoch(OffsetForLeaderEpochRequestData req) {
        OffsetForLeaderEpochResponseData out = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic t : req.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult tr =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(t.topic());
            out.topics().add(tr);
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p : t.partitions()) {
                OffsetForLeaderEpochResponseData.EpochEndOffset r = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(p.partition()).setLeaderEpoch(UNDEFINED_EPOCH).setEndOffset(UNDEFINED_EPOCH_OFFSET);
                tr.partitions().add(r);
                try {
                    PartitionOffsets offsets = engine.offsets(t.topic(), p.partition());
                    if (p.currentLeaderEpoch() != -1 && p.currentLeaderEpoch() < LEADER_EPOCH) {
                        r.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
                    } else if (p.currentLeaderEpoch() > LEADER_EPOCH) {
                        r.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
                    } else if (p.leaderEpoch() == LEADER_EPOCH) {
                        r.setLeaderEpoch(LEADER_EPOCH).setEndOffset(offsets.endOffset());
                    } else if (p.leaderEpoch() != UNDEFINED_EPOCH && p.leaderEpoch() < LEADER_EPOCH) {
                        r.setLeaderEpoch(p.leaderEpoch()).setEndOffset(0); // where epoch 0, the first, starts
                    }
                } catch (RuntimeException e) {
                    r.setErrorCode(KafkaErrors.of(e).code());
                }
            }
        }
        return out;
    }
}
