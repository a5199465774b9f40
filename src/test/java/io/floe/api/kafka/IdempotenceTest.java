package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotent produce across instances: producer ids are unique across instances sharing a bucket;
 * a retry reaching another instance (the first one committed, its answer was lost) is recognised
 * from the committed batches; sequences that skip ahead are refused; stale epochs are fenced.
 */
class IdempotenceTest {

    private static FloeKafka a;
    private static FloeKafka b;

    @BeforeAll
    static void start() throws Exception {
        a = FloeKafka.start("kafka-idem");
        b = FloeKafka.sharing(a, "kafka-idem-2");
        NativeClientsTest.createTopic(a.bootstrap(), "ledger", 1);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    private static long producerId(FloeKafka floe) throws Exception {
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            InitProducerIdResponse r = (InitProducerIdResponse) c.call(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000)).build((short) 4));
            assertThat(r.error()).isEqualTo(Errors.NONE);
            return r.data().producerId();
        }
    }

    private static ProduceResponseData.PartitionProduceResponse produce(FloeKafka floe, long pid, short epoch, int seq,
                                                                        String... values) throws Exception {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        MemoryRecords batch = MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, seq, records);
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName("ledger")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch))));
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            ProduceResponse r = (ProduceResponse) c.call(new ProduceRequest(data, (short) 9));
            return r.data().responses().iterator().next().partitionResponses().getFirst();
        }
    }

    private static long endOffset() {
        return a.engine.offsets("ledger", 0).endOffset();
    }

    @Test
    void producerIdsAreUniqueAcrossInstances() throws Exception {
        long first = producerId(a);
        long second = producerId(b);
        long third = producerId(a);
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
    }

    @Test
    void aRetryOnAnotherInstanceIsAnsweredWithTheOriginalOffsetAndNotWrittenAgain() throws Exception {
        long pid = producerId(a);
        var first = produce(a, pid, (short) 0, 0, "a", "b", "c");
        assertThat(first.errorCode()).isZero();
        var second = produce(a, pid, (short) 0, 3, "d");
        assertThat(second.errorCode()).isZero();
        long end = endOffset();

        // The client never saw the answer to seq 3, reconnects to instance b and retries it.
        var retried = produce(b, pid, (short) 0, 3, "d");
        assertThat(retried.errorCode()).isZero();
        assertThat(retried.baseOffset()).isEqualTo(second.baseOffset());
        // And again on a (its own cache this time).
        assertThat(produce(a, pid, (short) 0, 3, "d").baseOffset()).isEqualTo(second.baseOffset());
        b.engine.offsets("ledger", 0);
        assertThat(endOffset()).as("nothing written twice").isEqualTo(end);

        // The sequence continues on b.
        var next = produce(b, pid, (short) 0, 4, "e");
        assertThat(next.errorCode()).isZero();
        assertThat(next.baseOffset()).isEqualTo(end);
    }

    @Test
    void aSequenceThatSkipsAheadIsRefusedAndAStaleEpochIsFenced() throws Exception {
        long pid = producerId(a);
        assertThat(produce(a, pid, (short) 1, 0, "x").errorCode()).isZero();
        long end = endOffset();
        assertThat(Errors.forCode(produce(a, pid, (short) 1, 5, "y").errorCode()))
                .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(Errors.forCode(produce(a, pid, (short) 0, 1, "z").errorCode()))
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        // A new epoch starts at sequence 0.
        assertThat(produce(a, pid, (short) 2, 0, "w").errorCode()).isZero();
        assertThat(endOffset()).isEqualTo(end + 1);
        assertThat(a.engine.fetch("ledger", 0, 0, 1 << 20, Duration.ZERO).join().records()).isNotEmpty();
    }
}
