package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The log side of transactions through the Kafka protocol, with the Java client as reader: transactional
 * batches are produced raw (the coordinator is issue 12's other half), markers are written with
 * {@code LogEngine.appendMarkers}; a read_committed consumer sees only committed records, up to the last
 * stable offset, and ListOffsets at read_committed answers the last stable offset.
 */
class ReadCommittedTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() throws Exception {
        floe = FloeKafka.start("kafka-read-committed");
        NativeClientsTest.createTopic(floe.bootstrap(), "txn", 1);
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static MemoryRecords txn(long pid, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, pid, (short) 0, 0,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static void produce(MemoryRecords records) throws Exception {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName("txn")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
        try (RawKafka c = new RawKafka(floe.listener.port())) {
            ProduceResponse r = (ProduceResponse) c.call(new ProduceRequest(data, (short) 9));
            assertThat(Errors.forCode(r.data().responses().iterator().next().partitionResponses().getFirst().errorCode()))
                    .isEqualTo(Errors.NONE);
        }
    }

    private static void marker(long pid, boolean commit) {
        ByteBuffer m = MemoryRecords.withEndTransactionMarker(1L, pid, (short) 0,
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0)).buffer();
        floe.engine.appendMarkers("txn", Map.of(0, m)).join();
    }

    private static KafkaConsumer<String, String> consumer(String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, floe.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static List<String> readAll(String isolation, int expected) {
        TopicPartition tp = new TopicPartition("txn", 0);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer(isolation)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 10_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            c.poll(Duration.ofMillis(300)).forEach(r -> out.add(r.value())); // nothing more may come
        }
        return out;
    }

    @Test
    void aReadCommittedConsumerSeesOnlyCommittedRecordsUpToTheLastStableOffset() throws Exception {
        produce(txn(900, "aborted"));
        produce(txn(901, "committed"));
        produce(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("plain".getBytes(StandardCharsets.UTF_8))));
        marker(900, false);
        marker(901, true);
        produce(txn(902, "open"));
        produce(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("after-open".getBytes(StandardCharsets.UTF_8))));

        assertThat(readAll("read_uncommitted", 5)).containsExactly("aborted", "committed", "plain", "open", "after-open");
        assertThat(readAll("read_committed", 2)).containsExactly("committed", "plain");
        TopicPartition tp = new TopicPartition("txn", 0);
        try (KafkaConsumer<String, String> c = consumer("read_committed")) {
            assertThat(c.endOffsets(List.of(tp)).get(tp)).as("ListOffsets at read_committed: the LSO").isEqualTo(5L);
        }
        try (KafkaConsumer<String, String> c = consumer("read_uncommitted")) {
            assertThat(c.endOffsets(List.of(tp)).get(tp)).isEqualTo(7L);
        }
        marker(902, true);
        assertThat(readAll("read_committed", 4)).containsExactly("committed", "plain", "open", "after-open");
    }
}
