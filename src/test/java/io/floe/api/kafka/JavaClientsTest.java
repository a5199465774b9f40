package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java kafka-clients producer, consumer and admin against Floe on radosgw. */
class JavaClientsTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-java");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(consumerProps(bootstrap, group));
    }

    static Properties consumerProps(String bootstrap, String group) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (group != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return c;
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int partitions, int expected) {
        return readAll(consumerProps(bootstrap, null), topic, partitions, expected);
    }

    /** Reads {@code topic} from the beginning with a consumer of {@code props} until {@code expected} records or 30 s. */
    static List<ConsumerRecord<String, String>> readAll(Properties props, String topic, int partitions, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // nothing more arrives
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    @Test
    void keyedProduceLandsOnThePartitionKafkasPartitionerPicksAndReadsBack() throws Exception {
        String topic = "orders";
        try (Admin admin = admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(d.partitions()).hasSize(6);
            assertThat(admin.listTopics().names().get()).contains(topic);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(floe.bootstrap()))) {
            for (int i = 0; i < 300; i++) {
                String key = "customer-" + (i % 17);
                keys.add(key);
                sent.add(producer.send(new ProducerRecord<>(topic, key, "order-" + i)));
            }
            producer.flush();
        }
        Map<Integer, Set<Long>> offsets = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            RecordMetadata m = sent.get(i).get();
            int expected = Utils.toPositive(Utils.murmur2(keys.get(i).getBytes())) % 6;
            assertThat(m.partition()).as("partition of key %s", keys.get(i)).isEqualTo(expected);
            assertThat(offsets.computeIfAbsent(m.partition(), k -> new HashSet<>()).add(m.offset())).isTrue();
        }
        List<ConsumerRecord<String, String>> read = readAll(floe.bootstrap(), topic, 6, 300);
        assertThat(read).hasSize(300);
        Map<String, Integer> lastOrderOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : read) {
            int order = Integer.parseInt(r.value().substring("order-".length()));
            Integer before = lastOrderOfKey.put(r.key(), order);
            if (before != null) {
                assertThat(order).as("key %s keeps its order", r.key()).isGreaterThan(before);
            }
        }
        try (Admin admin = admin(floe.bootstrap())) {
            var end = admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all().get();
            assertThat(end.get(new TopicPartition(topic, 0)).offset()).isEqualTo(offsets.getOrDefault(0, Set.of()).size());
            var configs = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic))).all().get();
            assertThat(configs.values().iterator().next().get("retention.ms").value()).isEqualTo("604800000");
        }
    }

    @Test
    void producerRetryingAfterALostResponseWritesNoDuplicate() throws Exception {
        String topic = "payments";
        try (Admin admin = admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties p = producerProps(floe.bootstrap());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, "k", "warm-up")).get();
            floe.listener.faults().loseProduceResponses(1);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "k", "payment-" + i)));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        List<ConsumerRecord<String, String>> read = readAll(floe.bootstrap(), topic, 1, 21);
        assertThat(read).extracting(ConsumerRecord::value).doesNotHaveDuplicates().hasSize(21);
        assertThat(read).extracting(ConsumerRecord::offset).containsExactly(
                java.util.stream.LongStream.range(0, 21).boxed().toArray(Long[]::new));
    }
}
