package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DeleteRecords with the Java Admin client and kafka-delete-records.sh against a real Floe listener:
 * the log start moves durably (a second instance on the bucket sees it), fetches below it are
 * OFFSET_OUT_OF_RANGE, ListOffsets EARLIEST returns it; and OffsetForLeaderEpoch answers as a Kafka
 * broker whose partitions have the single leader epoch 0.
 */
class DeleteRecordsTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("delete-records");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static void produce(String topic, int partition, int from, int to) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = from; i < to; i++) {
                p.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i)).get(); // one batch each
            }
        }
    }

    @Test
    void deleteRecordsMovesTheLogStartDurablyAndFetchesBelowItAreOutOfRange() throws Exception {
        String topic = "purged";
        NativeClientsTest.createTopic(floe.bootstrap(), topic, 2);
        produce(topic, 0, 0, 100);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            var deleted = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(40))).lowWatermarks().get(tp).get();
            assertThat(deleted.lowWatermark()).isEqualTo(40);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset()).isEqualTo(40);
            // Below the current log start: nothing changes; the answer is the log start.
            assertThat(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(10))).lowWatermarks().get(tp).get()
                    .lowWatermark()).isEqualTo(40);
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(101))).all().get())
                    .cause().isInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class);
        }

        var props = JavaClientsTest.consumerProps(floe.bootstrap(), null);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
            c.assign(List.of(tp));
            c.seek(tp, 10);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20; i++) {
                    c.poll(Duration.ofMillis(500));
                }
            }).isInstanceOf(OffsetOutOfRangeException.class);
        }
        List<ConsumerRecord<String, String>> left = JavaClientsTest.readAll(floe.bootstrap(), topic, 1, 60);
        assertThat(left).hasSize(60);
        assertThat(left.get(0).offset()).isEqualTo(40);
        assertThat(left.get(0).value()).isEqualTo("v40");

        // Durable in the bucket: another instance reading the chain sees the same log start.
        try (FloeKafka other = FloeKafka.sharing(floe, "delete-records-2"); Admin admin = JavaClientsTest.admin(other.bootstrap())) {
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset()).isEqualTo(40);
            // -1 (RecordsToDelete.beforeOffset(-1)): everything up to the high watermark.
            assertThat(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp).get()
                    .lowWatermark()).isEqualTo(100);
        }
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            long deadline = System.currentTimeMillis() + 10_000; // the first instance catches up with the chain
            long earliest;
            do {
                earliest = admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset();
            } while (earliest != 100 && System.currentTimeMillis() < deadline);
            assertThat(earliest).isEqualTo(100);
        }
    }

    @Test
    void kafkaDeleteRecordsToolAdvancesTheLogStart() throws Exception {
        String topic = "tool-purged";
        NativeClientsTest.createTopic(floe.bootstrap(), topic, 2);
        produce(topic, 1, 0, 12);
        Path json = Files.createTempFile("delete-records", ".json");
        Files.writeString(json, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":1,\"offset\":5}],\"version\":1}");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.DeleteRecordsCommand",
                "--bootstrap-server", floe.bootstrap(), "--offset-json-file", json.toString()));
        String out = NativeClientsTest.run(cmd, null, 120);
        Files.deleteIfExists(json);
        assertThat(out).contains("partition: " + topic + "-1").contains("low_watermark: 5");
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            TopicPartition tp = new TopicPartition(topic, 1);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset()).isEqualTo(5);
        }
    }

    @Test
    void consumerValidatesAPositionWithLeaderEpochZeroAndReadsOn() throws Exception {
        String topic = "epochs";
        NativeClientsTest.createTopic(floe.bootstrap(), topic, 1);
        produce(topic, 0, 0, 10);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(JavaClientsTest.consumerProps(floe.bootstrap(), null))) {
            c.assign(List.of(tp));
            // A position with a leader epoch makes the consumer validate it with OffsetForLeaderEpoch first.
            c.seek(tp, new OffsetAndMetadata(6, Optional.of(0), ""));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (got.size() < 4 && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(300)).forEach(got::add);
            }
            assertThat(got).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
        }
    }

    @Test
    void offsetForLeaderEpochAnswersAsASingleEpochBroker() throws Exception {
        String topic = "epoch-answers";
        NativeClientsTest.createTopic(floe.bootstrap(), topic, 1);
        produce(topic, 0, 0, 3);
        try (RawKafka raw = new RawKafka(floe.listener.port())) {
            assertThat(epochEnd(raw, topic, 0, -1)).isEqualTo(List.of(0, 0, 3));   // current epoch: the log end
            assertThat(epochEnd(raw, topic, 1, -1)).isEqualTo(List.of(0, -1, -1)); // a later epoch is unknown
            assertThat(epochEnd(raw, topic, 0, 1)).isEqualTo(List.of((int) Errors.UNKNOWN_LEADER_EPOCH.code(), -1, -1));
            assertThat(epochEnd(raw, "no-such-topic", 0, -1)).element(0)
                    .isEqualTo((int) Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            // The Admin client checks partitions against metadata itself; a raw request reaches Floe's check.
            var delete = new org.apache.kafka.common.message.DeleteRecordsRequestData().setTimeoutMs(5000).setTopics(List.of(
                    new org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic).setPartitions(List.of(
                            new org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition()
                                    .setPartitionIndex(7).setOffset(1)))));
            var answer = ((org.apache.kafka.common.requests.DeleteRecordsResponse) raw.call(
                    new org.apache.kafka.common.requests.DeleteRecordsRequest.Builder(delete).build((short) 2))).data();
            assertThat(answer.topics().find(topic).partitions().find(7).errorCode())
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    /** [error, leader epoch, end offset] for one partition-0 OffsetForLeaderEpoch query. */
    private static List<Integer> epochEnd(RawKafka raw, String topic, int leaderEpoch, int currentLeaderEpoch) throws Exception {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic).setPartitions(List.of(
                new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(leaderEpoch)
                        .setCurrentLeaderEpoch(currentLeaderEpoch))));
        OffsetsForLeaderEpochRequest req = OffsetsForLeaderEpochRequest.Builder.forConsumer(topics).build((short) 4);
        OffsetForLeaderEpochResponseData.EpochEndOffset r = ((OffsetsForLeaderEpochResponse) raw.call(req)).data().topics()
                .iterator().next().partitions().get(0);
        return List.of((int) r.errorCode(), r.leaderEpoch(), (int) r.endOffset());
    }
}
