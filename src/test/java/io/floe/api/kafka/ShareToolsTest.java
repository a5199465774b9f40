package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka 4.3.1's own share-group tools against Floe on radosgw, each a child JVM on the test class path:
 * {@code VerifiableShareConsumer} (Kafka's system-test client) in its three acknowledgement modes (auto,
 * sync, async), which sets {@code share.auto.offset.reset=earliest} on the group through
 * IncrementalAlterConfigs itself, and {@code kafka-console-share-consumer.sh} (ConsoleShareConsumer) with
 * {@code kafka-configs.sh} setting the group config, accepting, rejecting and releasing what it reads.
 * Every produced record must be delivered and acknowledged exactly once (released ones exactly as often as
 * the delivery count limit allows), and the group's start offsets must reach the end of the log.
 */
class ShareToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("share-tools");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static String tool(String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return NativeClientsTest.run(cmd, null, 120);
    }

    private static void createAndProduce(String topic, int partitions, int count) throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            p.flush();
        }
    }

    /** The sum over the topic's partitions of the group's start offsets (every record acknowledged: the record count). */
    private static long startedTotal(String group, String topic, int partitions) throws Exception {
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin.listShareGroupOffsets(
                    Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group).get();
            long total = 0;
            for (int p = 0; p < partitions; p++) {
                SharePartitionOffsetInfo info = offsets.get(new TopicPartition(topic, p));
                total += info == null ? 0 : info.startOffset();
            }
            return total;
        }
    }

    @Test
    void verifiableShareConsumerReceivesAndAcknowledgesEveryRecordOnceInEachAcknowledgementMode() throws Exception {
        String topic = "verifiable-share";
        int count = 200;
        createAndProduce(topic, 3, count);
        for (String mode : List.of("auto", "sync", "async")) {
            String group = "verifiable-" + mode;
            String out = tool("org.apache.kafka.tools.VerifiableShareConsumer", "--bootstrap-server", floe.bootstrap(),
                    "--topic", topic, "--group-id", group, "--acknowledgement-mode", mode,
                    "--offset-reset-strategy", "earliest", "--max-messages", Integer.toString(count));
            Map<String, Integer> consumed = new TreeMap<>();
            Map<String, Integer> acknowledged = new TreeMap<>();
            List<String> events = new ArrayList<>();
            for (String line : out.lines().filter(l -> l.startsWith("{")).toList()) {
                JsonNode e = JSON.readTree(line);
                String name = e.path("name").asText();
                events.add(name);
                if (name.equals("offsets_acknowledged")) {
                    assertThat(e.path("success").asBoolean()).as(mode + ": " + line).isTrue();
                }
                if (name.equals("records_consumed") || name.equals("offsets_acknowledged")) {
                    Map<String, Integer> into = name.equals("records_consumed") ? consumed : acknowledged;
                    for (JsonNode p : e.path("partitions")) {
                        for (JsonNode o : p.path("offsets")) {
                            into.merge(p.path("partition").asInt() + "@" + o.asLong(), 1, Integer::sum);
                        }
                    }
                }
            }
            assertThat(events).as(mode).contains("startup_complete", "offset_reset_strategy_set", "shutdown_complete");
            assertThat(consumed).as(mode + ": every record consumed").hasSize(count);
            assertThat(consumed.values()).as(mode + ": none twice").containsOnly(1);
            assertThat(acknowledged).as(mode + ": what was acknowledged is what was consumed").isEqualTo(consumed);
            assertThat(startedTotal(group, topic, 3)).as(mode).isEqualTo(count);
        }
    }

    @Test
    void aGroupsDeliveryCountLimitSetWithKafkaConfigsIsHonoured() throws Exception {
        String topic = "console-limit";
        createAndProduce(topic, 1, 10);
        configs("console-twice", "--alter", "--add-config", "share.auto.offset.reset=earliest,share.delivery.count.limit=2");
        assertThat(configs("console-twice", "--describe")).contains("share.delivery.count.limit=2");
        Map<Integer, List<Integer>> released = deliveries(consoleShareConsumer(topic, "console-twice", 20, "--release"));
        assertThat(released).hasSize(10);
        assertThat(released.values()).allSatisfy(d -> assertThat(d).containsExactly(1, 2));
        // Released a second time, every record is archived (with Kafka's default of 5 they would be available again).
        long deadline = System.currentTimeMillis() + 10_000;
        while (startedTotal("console-twice", topic, 1) != 10 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(startedTotal("console-twice", topic, 1)).isEqualTo(10);
    }

    @Test
    void shareGroupsToolDeletesOffsetsAndTheGroupStartsTheTopicAgain() throws Exception {
        String topic = "delete-offsets";
        String group = "deleting";
        createAndProduce(topic, 2, 20);
        configs(group, "--alter", "--add-config", "share.auto.offset.reset=earliest");
        assertThat(deliveries(consoleShareConsumer(topic, group, 20))).hasSize(20);
        assertThat(startedTotal(group, topic, 2)).isEqualTo(20);

        // While a member is in the group, its offsets cannot be deleted (Kafka: NON_EMPTY_GROUP).
        try (var member = ShareConsumersTest.consumer(floe.bootstrap(), group, false);
             Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            member.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (admin.describeShareGroups(List.of(group)).describedGroups().get(group).get().members().isEmpty()
                    && System.currentTimeMillis() < deadline) {
                member.poll(java.time.Duration.ofMillis(200));
            }
            assertThatThrownBy(() -> admin.deleteShareGroupOffsets(group, java.util.Set.of(topic)).all().get())
                    .cause().isInstanceOf(org.apache.kafka.common.errors.GroupNotEmptyException.class);
        }

        String out = tool("org.apache.kafka.tools.consumer.group.ShareGroupCommand", "--bootstrap-server", floe.bootstrap(),
                "--delete-offsets", "--group", group, "--topic", topic);
        assertThat(out).contains(topic).doesNotContain("Error");
        try (Admin admin = JavaClientsTest.admin(floe.bootstrap())) {
            assertThat(admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group).get())
                    .isEmpty();
            // A topic the group never started: UNKNOWN_TOPIC_OR_PARTITION for it, as Kafka answers.
            createAndProduce("never-read", 1, 1);
            assertThatThrownBy(() -> admin.deleteShareGroupOffsets(group, java.util.Set.of("never-read")).all().get())
                    .cause().isInstanceOf(org.apache.kafka.common.errors.UnknownTopicOrPartitionException.class);
        }
        // The next member starts the topic again by share.auto.offset.reset: everything is delivered anew, first delivery.
        Map<Integer, List<Integer>> again = deliveries(consoleShareConsumer(topic, group, 20));
        assertThat(again).hasSize(20);
        assertThat(again.values()).allSatisfy(d -> assertThat(d).containsExactly(1));
    }

    private static String configs(String group, String... change) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", floe.bootstrap(), "--entity-type", "groups",
                "--entity-name", group));
        args.addAll(List.of(change));
        return tool("kafka.admin.ConfigCommand", args.toArray(String[]::new));
    }

    private static List<String> consoleShareConsumer(String topic, String group, int max, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", floe.bootstrap(), "--topic", topic, "--group", group,
                "--max-messages", Integer.toString(max), "--timeout-ms", "60000",
                "--formatter-property", "print.delivery=true", "--formatter-property", "print.partition=true",
                "--formatter-property", "print.offset=true"));
        args.addAll(List.of(extra));
        return tool("org.apache.kafka.tools.consumer.ConsoleShareConsumer", args.toArray(String[]::new)).lines()
                .filter(l -> l.matches(".*\\tv\\d+$")).toList();
    }

    private static final Pattern LINE = Pattern.compile("Delivery:(\\d+)\\tv(\\d+)$");

    /** Value index → the delivery counts it was printed with. */
    private static Map<Integer, List<Integer>> deliveries(List<String> lines) {
        Map<Integer, List<Integer>> out = new HashMap<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertThat(m.find()).as(l).isTrue();
            out.computeIfAbsent(Integer.parseInt(m.group(2)), k -> new ArrayList<>()).add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void consoleShareConsumerAcceptsRejectsAndReleasesUpToTheDeliveryLimit() throws Exception {
        String topic = "console-share";
        int count = 30;
        createAndProduce(topic, 2, count);
        for (String group : List.of("console-accept", "console-reject", "console-release")) {
            configs(group, "--alter", "--add-config", "share.auto.offset.reset=earliest");
            assertThat(configs(group, "--describe")).contains("share.auto.offset.reset=earliest");
        }

        Map<Integer, List<Integer>> accepted = deliveries(consoleShareConsumer(topic, "console-accept", count));
        assertThat(accepted).hasSize(count);
        assertThat(accepted.values()).allSatisfy(d -> assertThat(d).containsExactly(1));
        assertThat(startedTotal("console-accept", topic, 2)).isEqualTo(count);

        Map<Integer, List<Integer>> rejected = deliveries(consoleShareConsumer(topic, "console-reject", count, "--reject"));
        assertThat(rejected).hasSize(count);
        assertThat(rejected.values()).allSatisfy(d -> assertThat(d).containsExactly(1));
        assertThat(startedTotal("console-reject", topic, 2)).isEqualTo(count);

        // Released records come back until the delivery count limit (Kafka's default, 5) archives them.
        Map<Integer, List<Integer>> released = deliveries(consoleShareConsumer(topic, "console-release", count * 5, "--release"));
        assertThat(released).hasSize(count);
        assertThat(released.values()).allSatisfy(d -> assertThat(d).containsExactly(1, 2, 3, 4, 5));
        long deadline = System.currentTimeMillis() + 10_000; // the last releases reach the bucket as the tool closes
        while (startedTotal("console-release", topic, 2) != count && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(startedTotal("console-release", topic, 2)).isEqualTo(count);
    }
}
