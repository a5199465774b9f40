package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams 4.3.1's word count, unchanged, against the Kafka listener: a stateful topology with a
 * repartition topic (groupBy) and a changelogged RocksDB store (count), at {@code at_least_once} and at
 * {@code exactly_once_v2}. The final count of every word is checked exactly, and Streams' purge of its
 * repartition topic (DeleteRecords) is seen to move the topic's log start.
 */
class KafkaStreamsWordCountTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("streams-wordcount");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    @Test
    void wordCountAtLeastOnce() throws Exception {
        wordCount("alo", StreamsConfig.AT_LEAST_ONCE);
    }

    @Test
    void wordCountExactlyOnceV2() throws Exception {
        wordCount("eos", StreamsConfig.EXACTLY_ONCE_V2);
    }

    private static void wordCount(String name, String guarantee) throws Exception {
        String input = name + "-lines";
        String output = name + "-counts";
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(input, 3, (short) 1), new NewTopic(output, 2, (short) 1))).all().get();
        }
        Map<String, Long> expected = new TreeMap<>();
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = 0; i < 200; i++) {
                String line = "floe kafka " + "word" + (i % 7) + " stream" + (i % 3) + (i % 10 == 0 ? " bucket bucket" : "");
                for (String w : line.split(" ")) {
                    expected.merge(w, 1L, Long::sum);
                }
                p.send(new ProducerRecord<>(input, "line-" + i, line));
            }
            p.flush();
        }

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.toLowerCase().split("\\s+")))
                .groupBy((key, word) -> word, Grouped.with("words", Serdes.String(), Serdes.String()))
                .count(Materialized.as("word-counts"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        Path stateDir = Files.createTempDirectory("floe-streams-" + name);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "wordcount-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, floe.bootstrap());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        props.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, "300"); // DeleteRecords on the repartition topic
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        Map<String, Long> latest = new HashMap<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, floe.bootstrap());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class.getName());
            try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(c)) {
                List<TopicPartition> tps = List.of(new TopicPartition(output, 0), new TopicPartition(output, 1));
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                long deadline = System.currentTimeMillis() + 120_000;
                while (!latest.equals(expected) && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(500))) {
                        assertThat(r.value()).as("count of %s never exceeds the truth", r.key())
                                .isLessThanOrEqualTo(expected.getOrDefault(r.key(), 0L));
                        latest.put(r.key(), r.value());
                    }
                }
            }
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            // Streams purges what it consumed from its repartition topic with DeleteRecords.
            String repartition = "wordcount-" + name + "-words-repartition";
            try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
                long deadline = System.currentTimeMillis() + 30_000;
                long purged = 0;
                while (purged == 0 && System.currentTimeMillis() < deadline) {
                    int partitions = admin.describeTopics(List.of(repartition)).allTopicNames().get().get(repartition).partitions().size();
                    Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new HashMap<>();
                    for (int p = 0; p < partitions; p++) {
                        specs.put(new TopicPartition(repartition, p), org.apache.kafka.clients.admin.OffsetSpec.earliest());
                    }
                    purged = admin.listOffsets(specs).all().get().values().stream().mapToLong(o -> o.offset()).sum();
                    Thread.sleep(200);
                }
                assertThat(purged).as("records purged from " + repartition).isPositive();
            }
        }
        assertThat(new TreeMap<>(latest)).isEqualTo(expected);
    }
}
