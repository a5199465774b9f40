package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions with clients and tools that are not the Java producer API: librdkafka's transactional
 * producer (the tutorial's example), Kafka's {@code TransactionalMessageCopier} with random aborts and a
 * copier killed and restarted, and {@code kafka-transactions.sh} (TransactionsCommand) listing,
 * describing and aborting a hanging transaction. Exactly-once is checked with read_committed readers,
 * which need the log side of issue 12 (last stable offset, aborted-transaction index).
 */
class TransactionalToolsTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-txn-tools");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    private static List<String> javaCommand(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String transactions(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", floe.bootstrap()));
        all.addAll(List.of(args));
        return NativeClientsTest.run(javaCommand("org.apache.kafka.tools.TransactionsCommand", all.toArray(String[]::new)),
                null, 120);
    }

    @Test
    void librdkafkasTransactionalExampleCommitsAndAborts() throws Exception {
        NativeClientsTest.createTopic(floe.bootstrap(), "rd-txn", 3);
        JsonNode r = NativeClientsTest.lastJsonLine(NativeClientsTest.run(List.of(NativeClientsTest.PYTHON,
                NativeClientsTest.script("confluent_txn.py").toString(), floe.bootstrap(), "rd-txn", "50"), null, 180));
        List<String> uncommitted = new ArrayList<>();
        r.get("read_uncommitted").forEach(n -> uncommitted.add(n.asText()));
        assertThat(uncommitted).as("both transactions' records are in the log").hasSize(100);
        List<String> committed = new ArrayList<>();
        r.get("read_committed").forEach(n -> committed.add(n.asText()));
        assertThat(committed).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 50).mapToObj(i -> "committed-" + i).toList());
    }

    @Test
    void transactionalMessageCopierWithRandomAbortsAndARestartCopiesExactlyOnce() throws Exception {
        int count = 3000;
        NativeClientsTest.createTopic(floe.bootstrap(), "copier-in", 1);
        NativeClientsTest.createTopic(floe.bootstrap(), "copier-out", 1);
        List<String> input = new ArrayList<>();
        try (KafkaProducer<String, String> p = new KafkaProducer<>(JavaClientsTest.producerProps(floe.bootstrap()))) {
            for (int i = 0; i < count; i++) {
                input.add("m-" + i);
                p.send(new ProducerRecord<>("copier-in", 0, "k" + i, "m-" + i));
            }
            p.flush();
        }
        List<String> copier = javaCommand("org.apache.kafka.tools.TransactionalMessageCopier",
                "--broker-list", floe.bootstrap(), "--input-topic", "copier-in", "--input-partition", "0",
                "--output-topic", "copier-out", "--transactional-id", "copier-1", "--consumer-group", "copiers",
                "--transaction-size", "40", "--transaction-timeout", "20000", "--max-messages", String.valueOf(count),
                "--enable-random-aborts", "--use-group-metadata");
        // First run: killed (SIGKILL, mid-transaction as likely as not) once it has copied a third.
        Process first = new ProcessBuilder(copier).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode status = parseStatus(line);
                if (status != null && status.path("consumed").asLong() >= count / 3) {
                    break;
                }
            }
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(first.exitValue()).as("killed before it finished").isNotZero();
        // Second run: a new copier with the same transactional id fences the first and finishes the copy.
        String second = NativeClientsTest.run(copier, null, 300);
        assertThat(second).contains("\"remaining\":0");

        assertThat(inLog("copier-out", 0, false).stream().distinct().toList()).as("every input record was copied at least once")
                .containsExactlyInAnyOrderElementsOf(input);
        assertThat(inLog("copier-out", 0, true)).as("the log's markers commit exactly the input, in order")
                .containsExactlyElementsOf(input);
        Properties c = JavaClientsTest.consumerProps(floe.bootstrap(), null);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> output = JavaClientsTest.readAll(c, "copier-out", 1, count).stream().map(ConsumerRecord::value).toList();
        assertThat(output).as("read_committed output equals the input, in order").containsExactlyElementsOf(input);
    }

    /**
     * The values of a partition's data records as stored, in offset order; with {@code committedOnly}, those a
     * read_committed reader must see, worked out by Kafka's rule (a transactional record counts once its
     * producer's COMMIT marker follows it; an ABORT marker drops it). Checks the markers independently of the
     * fetch path.
     */
    private static List<String> inLog(String topic, int partition, boolean committedOnly) {
        java.util.TreeMap<Long, String> committed = new java.util.TreeMap<>();
        java.util.Map<Long, java.util.TreeMap<Long, String>> open = new java.util.HashMap<>();
        long offset = 0;
        long end = floe.engine.offsets(topic, partition).endOffset();
        while (offset < end) {
            var r = floe.engine.fetch(topic, partition, offset, 8 << 20, java.time.Duration.ZERO).join();
            for (java.nio.ByteBuffer b : r.batches()) {
                for (var batch : org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(b.duplicate()).batches()) {
                    offset = Math.max(offset, batch.lastOffset() + 1);
                    if (batch.isControlBatch()) {
                        try (var it = batch.streamingIterator(org.apache.kafka.common.utils.BufferSupplier.NO_CACHING)) {
                            var type = org.apache.kafka.common.record.internal.ControlRecordType.parse(it.next().key());
                            var pending = open.remove(batch.producerId());
                            if (pending != null && type == org.apache.kafka.common.record.internal.ControlRecordType.COMMIT) {
                                committed.putAll(pending);
                            }
                        }
                        continue;
                    }
                    var target = batch.isTransactional() && committedOnly ? open.computeIfAbsent(batch.producerId(), k -> new java.util.TreeMap<>())
                            : committed;
                    for (var rec : batch) {
                        target.put(rec.offset(), StandardCharsets.UTF_8.decode(rec.value()).toString());
                    }
                }
            }
        }
        return new ArrayList<>(committed.values());
    }

    /** The rows of a TransactionsCommand table, each as column name → value. */
    private static List<java.util.Map<String, String>> table(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        List<java.util.Map<String, String>> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        String[] header = lines.getFirst().trim().split("\\s+");
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.trim().split("\\s+");
            java.util.Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < Math.min(header.length, f.length); i++) {
                row.put(header[i], f[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static JsonNode parseStatus(String line) {
        try {
            return line.startsWith("{") ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(line) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void kafkaTransactionsListsDescribesAndAbortsAHangingTransaction() throws Exception {
        NativeClientsTest.createTopic(floe.bootstrap(), "hanging", 1);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(
                TransactionalClientsTest.transactional(floe.bootstrap(), "tx-tools"))) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("hanging", 0, "k", "open")).get();
            String list = transactions("list");
            assertThat(list).contains("tx-tools").contains("Ongoing");
            String describe = transactions("describe", "--transactional-id", "tx-tools");
            assertThat(describe).contains("Ongoing").contains("hanging-0");
            List<java.util.Map<String, String>> producers = table(transactions("describe-producers", "--topic", "hanging",
                    "--partition", "0"));
            assertThat(producers).hasSize(1);
            assertThat(producers.getFirst()).containsEntry("CurrentTransactionStartOffset", "0");
            // The coordinator loses the transaction (its state object is gone): the partition's transaction hangs.
            floe.store.delete("transactions/tx-tools");
            List<java.util.Map<String, String>> hanging = table(transactions("find-hanging", "--broker-id", "0",
                    "--max-transaction-timeout", "0"));
            assertThat(hanging).hasSize(1);
            assertThat(hanging.getFirst()).containsEntry("Topic", "hanging").containsEntry("StartOffset", "0");
            transactions("abort", "--topic", "hanging", "--partition", "0", "--start-offset", "0");
            assertThat(table(transactions("describe-producers", "--topic", "hanging", "--partition", "0")))
                    .allSatisfy(row -> assertThat(row).containsEntry("CurrentTransactionStartOffset", "None"));
            assertThat(table(transactions("find-hanging", "--broker-id", "0", "--max-transaction-timeout", "0"))).isEmpty();
        }
        Properties c = JavaClientsTest.consumerProps(floe.bootstrap(), null);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        assertThat(JavaClientsTest.readAll(c, "hanging", 1, 1)).as("the aborted record stays invisible").isEmpty();
    }
}
