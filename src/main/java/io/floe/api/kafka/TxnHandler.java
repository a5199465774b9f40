package io.floe.api.kafka;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.OffsetCommit;
import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.txn.ActiveProducers;
import io.floe.txn.MarkerWriter;
import io.floe.txn.Transaction;
import io.floe.txn.TransactionCoordinator;
import io.floe.txn.TransactionCoordinator.ProducerIdAndEpoch;
import io.floe.txn.TxnOffset;
import io.floe.txn.TxnState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The transaction APIs over {@link TransactionCoordinator}: InitProducerId with a transactional id,
 * AddPartitionsToTxn (v0-v3 from clients; v4-v5, KIP-890's batched form with {@code verifyOnly}, from
 * brokers), AddOffsetsToTxn, TxnOffsetCommit, EndTxn, and the operator APIs DescribeTransactions,
 * ListTransactions, DescribeProducers and WriteTxnMarkers (what {@code kafka-transactions.sh abort}
 * sends). Floe advertises no {@code transaction.version} feature, so Kafka 4.x clients use
 * transactions version 1: AddPartitionsToTxn before producing, EndTxn v4 without an epoch bump
 * (docs/DECISIONS.md D44). Thread-safe; every call blocks on the bucket (on the connection's
 * virtual reader thread).
 */
final class TxnHandler {

    static final Map<ApiKeys, Short> VERSIONS = Map.of(
            ApiKeys.ADD_PARTITIONS_TO_TXN, (short) 5,
            ApiKeys.ADD_OFFSETS_TO_TXN, (short) 4,
            ApiKeys.END_TXN, (short) 4,
            ApiKeys.TXN_OFFSET_COMMIT, (short) 4,
            ApiKeys.DESCRIBE_TRANSACTIONS, (short) 0,
            ApiKeys.LIST_TRANSACTIONS, (short) 2,
            ApiKeys.DESCRIBE_PRODUCERS, (short) 0,
            ApiKeys.WRITE_TXN_MARKERS, (short) 1);

    private final TransactionCoordinator txns;
    private final GroupCoordinator groups;
    private final LogEngine engine;
    private final ActiveProducers producers;
    private final MarkerWriter markers;
    private final Clock clock;

    TxnHandler(TransactionCoordinator txns, GroupCoordinator groups, LogEngine engine, ActiveProducers producers,
               MarkerWriter markers, Clock clock) {
        this.txns = txns;
        this.groups = groups;
        this.engine = engine;
        this.producers = producers;
        this.markers = markers;
        this.clock = clock;
    }

    InitProducerIdResponseData initProducerId(InitProducerIdRequestData req) {
        InitProducerIdResponseData out = new InitProducerIdResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        if (req.enable2Pc() || req.keepPreparedTxn()) {
            return out.setErrorCode(Errors.UNSUPPORTED_VERSION.code()); // KIP-939 two-phase commit is not offered
        }
        ProducerIdAndEpoch expected = req.producerId() == RecordBatch.NO_PRODUCER_ID ? null
                : new ProducerIdAndEpoch(req.producerId(), req.producerEpoch());
        try {
            ProducerIdAndEpoch p = txns.initProducerId(req.transactionalId(), req.transactionTimeoutMs(), expected);
            return out.setProducerId(p.producerId()).setProducerEpoch(p.epoch());
        } catch (RuntimeException e) {
            return out.setErrorCode(code(e));
        }
    }

    AddPartitionsToTxnResponseData addPartitions(AddPartitionsToTxnRequestData req, short version) {
        AddPartitionsToTxnResponseData out = new AddPartitionsToTxnResponseData();
        if (version < 4) {
            out.setResultsByTopicV3AndBelow(addOrVerify(req.v3AndBelowTransactionalId(), req.v3AndBelowProducerId(),
                    req.v3AndBelowProducerEpoch(), false, req.v3AndBelowTopics()));
            return out;
        }
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction t : req.transactions()) {
            out.resultsByTransaction().add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnResult()
                    .setTransactionalId(t.transactionalId())
                    .setTopicResults(addOrVerify(t.transactionalId(), t.producerId(), t.producerEpoch(), t.verifyOnly(),
                            t.topics())));
        }
        return out;
    }

    private AddPartitionsToTxnTopicResultCollection addOrVerify(String transactionalId, long producerId, short epoch,
                                                                boolean verifyOnly, Iterable<AddPartitionsToTxnTopic> topics) {
        List<TopicPartition> wanted = new ArrayList<>();
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        for (AddPartitionsToTxnTopic t : topics) {
            for (int p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p);
                wanted.add(tp);
                try {
                    engine.topic(t.name()).checkPartition(p);
                } catch (RuntimeException e) {
                    errors.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                }
            }
        }
        if (!errors.isEmpty()) {
            wanted.forEach(tp -> errors.putIfAbsent(tp, Errors.OPERATION_NOT_ATTEMPTED));
        } else {
            try {
                if (verifyOnly) {
                    txns.verify(transactionalId, producerId, epoch, wanted)
                            .forEach(tp -> errors.put(tp, Errors.INVALID_TXN_STATE));
                } else {
                    txns.addPartitions(transactionalId, producerId, epoch, wanted);
                }
            } catch (RuntimeException e) {
                Errors error = KafkaErrors.of(e);
                wanted.forEach(tp -> errors.put(tp, error));
            }
        }
        AddPartitionsToTxnTopicResultCollection results = new AddPartitionsToTxnTopicResultCollection();
        for (TopicPartition tp : wanted) {
            AddPartitionsToTxnTopicResult r = results.find(tp.topic());
            if (r == null) {
                r = new AddPartitionsToTxnTopicResult().setName(tp.topic())
                        .setResultsByPartition(new AddPartitionsToTxnPartitionResultCollection());
                results.add(r);
            }
            r.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(tp.partition())
                    .setPartitionErrorCode(errors.getOrDefault(tp, Errors.NONE).code()));
        }
        return results;
    }

    AddOffsetsToTxnResponseData addOffsets(AddOffsetsToTxnRequestData req) {
        try {
            txns.addOffsets(req.transactionalId(), req.producerId(), req.producerEpoch(), req.groupId());
            return new AddOffsetsToTxnResponseData();
        } catch (RuntimeException e) {
            return new AddOffsetsToTxnResponseData().setErrorCode(code(e));
        }
    }

    TxnOffsetCommitResponseData commitOffsets(TxnOffsetCommitRequestData req) {
        Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : req.topics()) {
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                offsets.put(new TopicPartition(t.name(), p.partitionIndex()), new CommittedOffset(p.committedOffset(),
                        p.committedLeaderEpoch(), p.committedMetadata(), -1));
            }
        }
        Map<TopicPartition, ErrorCode> refused = Map.of();
        short error = Errors.NONE.code();
        try {
            refused = groups.checkTransactional(new OffsetCommit(req.groupId(), req.memberId(), req.groupInstanceId(),
                    req.generationId(), offsets, OffsetCommit.Durability.SYNC));
            Map<TopicPartition, TxnOffset> pending = new LinkedHashMap<>();
            for (var e : offsets.entrySet()) {
                if (!refused.containsKey(e.getKey())) {
                    CommittedOffset o = e.getValue();
                    pending.put(e.getKey(), new TxnOffset(o.offset(), o.leaderEpoch(), o.metadata()));
                }
            }
            if (!pending.isEmpty()) {
                txns.commitOffsets(req.transactionalId(), req.producerId(), req.producerEpoch(), req.groupId(), pending);
            }
        } catch (RuntimeException e) {
            error = code(e);
        }
        TxnOffsetCommitResponseData out = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : req.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic rt =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(t.name());
            out.topics().add(rt);
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                ErrorCode e = refused.get(new TopicPartition(t.name(), p.partitionIndex()));
                rt.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error != 0 ? error : e == null ? 0 : KafkaErrors.of(e).code()));
            }
        }
        return out;
    }

    EndTxnResponseData endTxn(EndTxnRequestData req) {
        EndTxnResponseData out = new EndTxnResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        try {
            txns.endTxn(req.transactionalId(), req.producerId(), req.producerEpoch(), req.committed());
            return out;
        } catch (RuntimeException e) {
            return out.setErrorCode(code(e));
        }
    }

    // ---- operator APIs -------------------------------------------------------------------------

    DescribeTransactionsResponseData describe(DescribeTransactionsRequestData req) {
        DescribeTransactionsResponseData out = new DescribeTransactionsResponseData();
        for (String id : req.transactionalIds()) {
            DescribeTransactionsResponseData.TransactionState s = new DescribeTransactionsResponseData.TransactionState()
                    .setTransactionalId(id).setTransactionState("").setTransactionStartTimeMs(-1).setProducerId(-1)
                    .setProducerEpoch((short) -1);
            out.transactionStates().add(s);
            try {
                Transaction t = txns.describe(id).orElseThrow(() -> new FloeException(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND,
                        "No transaction state for transactional id '" + id + "'."));
                s.setTransactionState(t.state().kafkaName()).setTransactionTimeoutMs(t.timeoutMs())
                        .setTransactionStartTimeMs(t.startedAtMs()).setProducerId(t.producerId())
                        .setProducerEpoch(t.producerEpoch());
                for (TopicPartition tp : t.partitions()) {
                    DescribeTransactionsResponseData.TopicData td = s.topics().find(tp.topic());
                    if (td == null) {
                        td = new DescribeTransactionsResponseData.TopicData().setTopic(tp.topic());
                        s.topics().add(td);
                    }
                    td.partitions().add(tp.partition());
                }
            } catch (RuntimeException e) {
                s.setErrorCode(code(e));
            }
        }
        return out;
    }

    ListTransactionsResponseData list(ListTransactionsRequestData req) {
        ListTransactionsResponseData out = new ListTransactionsResponseData();
        Set<String> states = new HashSet<>();
        for (String s : req.stateFilters()) {
            TxnState match = null;
            for (TxnState st : TxnState.values()) {
                if (st.kafkaName().equals(s)) {
                    match = st;
                }
            }
            if (match == null) {
                out.unknownStateFilters().add(s);
            } else {
                states.add(match.kafkaName());
            }
        }
        Set<Long> ids = new HashSet<>(req.producerIdFilters());
        long now = clock.millis();
        Pattern pattern;
        try {
            pattern = req.transactionalIdPattern() == null || req.transactionalIdPattern().isEmpty() ? null
                    : Pattern.compile(req.transactionalIdPattern());
        } catch (PatternSyntaxException e) {
            return out.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
        }
        Predicate<Transaction> filter = t -> (req.stateFilters().isEmpty() || states.contains(t.state().kafkaName()))
                && (ids.isEmpty() || ids.contains(t.producerId()))
                && (req.durationFilter() < 0 || (t.state() == TxnState.ONGOING && now - t.startedAtMs() >= req.durationFilter()))
                && (pattern == null || pattern.matcher(t.transactionalId()).matches());
        try {
            for (Transaction t : txns.list(filter)) {
                out.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                        .setTransactionalId(t.transactionalId()).setProducerId(t.producerId())
                        .setTransactionState(t.state().kafkaName()));
            }
        } catch (RuntimeException e) {
            out.setErrorCode(code(e));
        }
        return out;
    }

    DescribeProducersResponseData describeProducers(DescribeProducersRequestData req) {
        DescribeProducersResponseData out = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest t : req.topics()) {
            DescribeProducersResponseData.TopicResponse rt = new DescribeProducersResponseData.TopicResponse().setName(t.name());
            out.topics().add(rt);
            for (int p : t.partitionIndexes()) {
                DescribeProducersResponseData.PartitionResponse rp = new DescribeProducersResponseData.PartitionResponse()
                        .setPartitionIndex(p);
                rt.partitions().add(rp);
                try {
                    for (ActiveProducers.ActiveProducer a : producers.of(t.name(), p)) {
                        rp.activeProducers().add(new DescribeProducersResponseData.ProducerState()
                                .setProducerId(a.producerId()).setProducerEpoch(a.producerEpoch())
                                .setLastSequence(a.lastSequence()).setLastTimestamp(a.lastTimestamp())
                                .setCoordinatorEpoch(a.coordinatorEpoch()).setCurrentTxnStartOffset(a.currentTxnStartOffset()));
                    }
                } catch (RuntimeException e) {
                    rp.setErrorCode(code(e)).setErrorMessage(KafkaErrors.message(e));
                }
            }
        }
        return out;
    }

    /**
     * Writes markers as the admin client asks (kafka-transactions.sh {@code abort} of a hanging transaction:
     * one the coordinator does not know, so only its partitions can end it).
     */
    WriteTxnMarkersResponseData writeMarkers(WriteTxnMarkersRequestData req) {
        WriteTxnMarkersResponseData out = new WriteTxnMarkersResponseData();
        for (WriteTxnMarkersRequestData.WritableTxnMarker m : req.markers()) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult r = new WriteTxnMarkersResponseData.WritableTxnMarkerResult()
                    .setProducerId(m.producerId());
            out.markers().add(r);
            List<TopicPartition> partitions = new ArrayList<>();
            m.topics().forEach(t -> t.partitionIndexes().forEach(p -> partitions.add(new TopicPartition(t.name(), p))));
            short error = Errors.NONE.code();
            try {
                for (TopicPartition tp : partitions) {
                    engine.topic(tp.topic()).checkPartition(tp.partition());
                }
                markers.write(partitions, m.producerId(), m.producerEpoch(), m.transactionResult());
            } catch (RuntimeException e) {
                error = code(e);
            }
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic t : m.topics()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult rt =
                        new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(t.name());
                r.topics().add(rt);
                for (int p : t.partitionIndexes()) {
                    rt.partitions().add(new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(p).setErrorCode(error));
                }
            }
        }
        return out;
    }

    /** See {@link TransactionCoordinator#pendingOffsets}. */
    Set<TopicPartition> pendingOffsets(String groupId, java.util.Collection<TopicPartition> partitions) {
        return txns.pendingOffsets(groupId, partitions);
    }

    private static short code(Throwable t) {
        return KafkaErrors.of(t).code();
    }
}
