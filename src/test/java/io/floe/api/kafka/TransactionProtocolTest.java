package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transaction APIs on the wire, two instances on one bucket: any instance coordinates any
 * transactional id, requests out of order get Kafka's error codes, and the KIP-890 batched
 * AddPartitionsToTxn (v4+, {@code verifyOnly}) that brokers send answers per partition.
 */
class TransactionProtocolTest {

    private static FloeKafka a;
    private static FloeKafka b;

    @BeforeAll
    static void start() throws Exception {
        a = FloeKafka.start("kafka-txn-wire");
        b = FloeKafka.sharing(a, "kafka-txn-wire-2");
        NativeClientsTest.createTopic(a.bootstrap(), "wire", 2);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    private static InitProducerIdResponse init(FloeKafka floe, String id) throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            return (InitProducerIdResponse) c.call(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                    .setTransactionalId(id).setTransactionTimeoutMs(60_000)).build((short) 5));
        }
    }

    private static Errors endTxn(FloeKafka floe, String id, long pid, short epoch, boolean commit) throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            return ((EndTxnResponse) c.call(new EndTxnRequest.Builder(new EndTxnRequestData().setTransactionalId(id)
                    .setProducerId(pid).setProducerEpoch(epoch).setCommitted(commit), false).build((short) 4))).error();
        }
    }

    private static AddPartitionsToTxnTopicCollection topic(String name, Integer... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(name).setPartitions(List.of(partitions)));
        return topics;
    }

    private static AddPartitionsToTxnResponse addPartitions(FloeKafka floe, AddPartitionsToTxnTransaction t, short version)
            throws Exception {
        AddPartitionsToTxnRequestData data = new AddPartitionsToTxnRequestData();
        if (version < 4) {
            data.setV3AndBelowTransactionalId(t.transactionalId()).setV3AndBelowProducerId(t.producerId())
                    .setV3AndBelowProducerEpoch(t.producerEpoch()).setV3AndBelowTopics(t.topics());
        } else {
            AddPartitionsToTxnTransactionCollection ts = new AddPartitionsToTxnTransactionCollection();
            ts.add(t);
            data.setTransactions(ts);
        }
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            return (AddPartitionsToTxnResponse) c.call(new AddPartitionsToTxnRequest(data, version));
        }
    }

    @Test
    void clientsMayNotProduceMarkers() throws Exception {
        var marker = org.apache.kafka.common.record.internal.MemoryRecords.withEndTransactionMarker(0L, 12, (short) 0,
                new org.apache.kafka.common.record.internal.EndTransactionMarker(
                        org.apache.kafka.common.record.internal.ControlRecordType.COMMIT, 0));
        var data = new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        data.topicData().add(new org.apache.kafka.common.message.ProduceRequestData.TopicProduceData().setName("wire")
                .setPartitionData(List.of(new org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData()
                        .setIndex(0).setRecords(marker))));
        long end = a.engine.offsets("wire", 0).endOffset();
        try (RawKafka c = new RawKafka(a.listener.port())) {
            var r = (org.apache.kafka.common.requests.ProduceResponse) c.call(
                    new org.apache.kafka.common.requests.ProduceRequest(data, (short) 9));
            assertThat(Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode()))
                    .isEqualTo(Errors.INVALID_RECORD);
        }
        assertThat(a.engine.offsets("wire", 0).endOffset()).isEqualTo(end);
    }

    @Test
    void anyInstanceCoordinatesAndOutOfOrderRequestsGetKafkasCodes() throws Exception {
        try (RawKafka c = new RawKafka(b.listener.port())) {
            FindCoordinatorResponse f = (FindCoordinatorResponse) c.call(new FindCoordinatorRequest.Builder(
                    new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("wire-tx")))
                    .build((short) 4));
            assertThat(f.data().coordinators()).singleElement().satisfies(co -> {
                assertThat(co.errorCode()).isZero();
                assertThat(co.port()).isEqualTo(b.listener.port());
            });
        }
        assertThat(endTxn(a, "never-initialised", 77, (short) 0, true)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        InitProducerIdResponse first = init(a, "wire-tx");
        assertThat(first.error()).isEqualTo(Errors.NONE);
        long pid = first.data().producerId();
        short epoch = first.data().producerEpoch();
        assertThat(endTxn(b, "wire-tx", pid, epoch, true)).as("no transaction").isEqualTo(Errors.INVALID_TXN_STATE);
        AddPartitionsToTxnResponse added = addPartitions(b, new AddPartitionsToTxnTransaction().setTransactionalId("wire-tx")
                .setProducerId(pid).setProducerEpoch(epoch).setTopics(topic("wire", 0)), (short) 3);
        assertThat(added.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID).values()).containsOnly(Errors.NONE);
        AddPartitionsToTxnResponse unknown = addPartitions(a, new AddPartitionsToTxnTransaction().setTransactionalId("wire-tx")
                .setProducerId(pid).setProducerEpoch(epoch).setTopics(topic("no-such-topic", 0)), (short) 3);
        assertThat(unknown.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID).values())
                .containsOnly(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        // KIP-890 verification, as a broker asks before it appends a transactional batch.
        AddPartitionsToTxnResponse verified = addPartitions(a, new AddPartitionsToTxnTransaction().setTransactionalId("wire-tx")
                .setProducerId(pid).setProducerEpoch(epoch).setVerifyOnly(true).setTopics(topic("wire", 0, 1)), (short) 5);
        var byPartition = verified.errors().get("wire-tx");
        assertThat(byPartition.get(new org.apache.kafka.common.TopicPartition("wire", 0))).isEqualTo(Errors.NONE);
        assertThat(byPartition.get(new org.apache.kafka.common.TopicPartition("wire", 1))).isEqualTo(Errors.INVALID_TXN_STATE);
        // A new producer on the other instance fences this one.
        InitProducerIdResponse second = init(b, "wire-tx");
        assertThat(second.data().producerId()).isEqualTo(pid);
        assertThat(second.data().producerEpoch()).isGreaterThan(epoch);
        assertThat(endTxn(a, "wire-tx", pid, epoch, true)).isEqualTo(Errors.PRODUCER_FENCED);
        AddPartitionsToTxnResponse zombie = addPartitions(a, new AddPartitionsToTxnTransaction().setTransactionalId("wire-tx")
                .setProducerId(pid).setProducerEpoch(epoch).setTopics(topic("wire", 1)), (short) 3);
        assertThat(zombie.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID).values())
                .containsOnly(Errors.PRODUCER_FENCED);
    }

    private static Errors produceTransactional(FloeKafka floe, String id, long pid, short epoch, int seq, int partition)
            throws Exception {
        var records = org.apache.kafka.common.record.internal.MemoryRecords.withTransactionalRecords(
                org.apache.kafka.common.compress.Compression.NONE, pid, epoch, seq,
                new org.apache.kafka.common.record.internal.SimpleRecord(("v" + seq).getBytes()));
        var data = new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(id);
        data.topicData().add(new org.apache.kafka.common.message.ProduceRequestData.TopicProduceData().setName("wire")
                .setPartitionData(List.of(new org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData()
                        .setIndex(partition).setRecords(records))));
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            var r = (org.apache.kafka.common.requests.ProduceResponse) c.call(
                    new org.apache.kafka.common.requests.ProduceRequest(data, (short) 9));
            return Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
        }
    }

    @Test
    void aTransactionalBatchOutsideItsTransactionIsRefusedAndNothingHangs() throws Exception {
        InitProducerIdResponse init = init(a, "wire-late");
        long pid = init.data().producerId();
        short epoch = init.data().producerEpoch();
        long end = a.engine.offsets("wire", 1).endOffset();
        assertThat(produceTransactional(a, "wire-late", pid, epoch, 0, 1)).as("never added").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(a.engine.offsets("wire", 1).endOffset()).isEqualTo(end);

        addPartitions(b, new AddPartitionsToTxnTransaction().setTransactionalId("wire-late").setProducerId(pid)
                .setProducerEpoch(epoch).setTopics(topic("wire", 1)), (short) 3);
        assertThat(produceTransactional(a, "wire-late", pid, epoch, 0, 1)).isEqualTo(Errors.NONE);
        assertThat(produceTransactional(b, "wire-late", pid, epoch, 1, 1)).as("the transaction is open there").isEqualTo(Errors.NONE);
        assertThat(endTxn(b, "wire-late", pid, epoch, true)).isEqualTo(Errors.NONE);

        // A late batch of the committed transaction (same epoch, next sequence): it would start a
        // transaction nobody ends, and hold back every read_committed consumer of the partition.
        assertThat(produceTransactional(a, "wire-late", pid, epoch, 2, 1)).as("after the commit").isEqualTo(Errors.INVALID_TXN_STATE);
        var offsets = a.engine.offsets("wire", 1);
        assertThat(offsets.lastStableOffset()).as("nothing hangs").isEqualTo(offsets.endOffset());
    }
}
