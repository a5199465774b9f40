package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's Java consumer with {@code group.protocol=consumer} subscribing by regular expression
 * (SubscribedTopicRegex of KIP-848), with {@code subscribe(SubscriptionPattern)} (RE2/J, evaluated by the
 * server) and {@code subscribe(Pattern)}: the member reads the matching topics and none other, a topic
 * created later that matches is picked up, and an expression RE2/J refuses is INVALID_REGULAR_EXPRESSION.
 */
class RegexSubscriptionTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-regex");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static void create(String... topics) throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, 2, (short) 1)).toList()).all().get();
        }
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, topic + "-" + i));
            }
            p.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties p = JavaClientsTest.consumerProps(floe.bootstrap(), group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        return new KafkaConsumer<>(p);
    }

    /** Polls until {@code want} records are read (or 30 s pass); returns the values by topic. */
    private static Map<String, Set<String>> read(KafkaConsumer<String, String> c, int want, Map<String, Set<String>> into) {
        long deadline = System.currentTimeMillis() + 30_000;
        int n = into.values().stream().mapToInt(Set::size).sum();
        while (n < want && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                if (into.computeIfAbsent(r.topic(), t -> new TreeSet<>()).add(r.value())) {
                    n++;
                }
            }
        }
        return into;
    }

    @Test
    void serverSideRegexReadsMatchingTopicsAndPicksUpOnesCreatedLater() throws Exception {
        create("orders-eu", "orders-us", "payments");
        produce("orders-eu", 10);
        produce("orders-us", 10);
        produce("payments", 10);
        try (KafkaConsumer<String, String> c = consumer("regex-readers")) {
            c.subscribe(new SubscriptionPattern("orders-.*"));
            Map<String, Set<String>> got = read(c, 20, new HashMap<>());
            assertThat(got.keySet()).containsExactlyInAnyOrder("orders-eu", "orders-us");
            assertThat(got.get("orders-eu")).hasSize(10);
            assertThat(got.get("orders-us")).hasSize(10);

            create("orders-asia"); // resolved again at the member's next heartbeats
            produce("orders-asia", 5);
            read(c, 25, got);
            assertThat(got.keySet()).containsExactlyInAnyOrder("orders-eu", "orders-us", "orders-asia");
            assertThat(got.get("orders-asia")).hasSize(5);
            assertThat(c.assignment()).extracting(tp -> tp.topic()).doesNotContain("payments");
        }
    }

    @Test
    void javaPatternSubscriptionReadsTheMatchingTopics() throws Exception {
        create("logs-a", "logs-b", "metrics");
        produce("logs-a", 4);
        produce("logs-b", 4);
        produce("metrics", 4);
        try (KafkaConsumer<String, String> c = consumer("pattern-readers")) {
            c.subscribe(Pattern.compile("logs-.*"));
            Map<String, Set<String>> got = read(c, 8, new HashMap<>());
            assertThat(got.keySet()).containsExactlyInAnyOrder("logs-a", "logs-b");
        }
    }

    @Test
    void anExpressionRe2jRefusesIsInvalidRegularExpression() {
        try (KafkaConsumer<String, String> c = consumer("bad-regex")) {
            c.subscribe(new SubscriptionPattern("orders-(")); // unbalanced: RE2/J cannot compile it
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    c.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(InvalidRegularExpression.class);
        }
    }

    @Test
    void groupObjectKeepsTheRegexAcrossInstances() throws Exception {
        create("sharded-1", "sharded-2");
        produce("sharded-1", 3);
        produce("sharded-2", 3);
        try (FloeKafka other = FloeKafka.sharing(floe, "kafka-regex-2");
             KafkaConsumer<String, String> c = consumer("regex-moving")) {
            c.subscribe(new SubscriptionPattern("sharded-[0-9]+"));
            assertThat(read(c, 6, new HashMap<>()).keySet()).containsExactlyInAnyOrder("sharded-1", "sharded-2");
            // The member's regex is in the group object: another instance describing the group sees the resolved topics.
            try (Admin admin = JavaClientsTest.admin(other.bootstrap())) {
                var d = admin.describeConsumerGroups(List.of("regex-moving")).all().get().get("regex-moving");
                assertThat(d.members()).hasSize(1);
                assertThat(d.members().iterator().next().assignment().topicPartitions()).extracting(tp -> tp.topic())
                        .containsOnly("sharded-1", "sharded-2");
            }
        }
    }
}
