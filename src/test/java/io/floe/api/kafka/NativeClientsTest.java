package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that are not Java: kafka-python 2.0.2 (Debian {@code python3-kafka}), librdkafka through
 * Debian {@code python3-confluent-kafka}, and {@code kcat}. ./test installs them; a missing one fails
 * the test (nothing is skipped).
 */
class NativeClientsTest {

    static final String PYTHON = "/usr/bin/python3";
    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("kafka-native");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = JavaClientsTest.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Runs a command, feeding {@code stdin}; returns stdout; fails with stderr on a non-zero exit. */
    static String run(List<String> command, String stdin, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        Path err = Files.createTempFile("floe-kafka", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited " + p.exitValue() + "\nstdout: "
                    + new String(out, StandardCharsets.UTF_8) + "\nstderr: " + stderr);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static Path script(String name) throws IOException {
        Path f = Files.createTempFile(name, ".py");
        try (var in = NativeClientsTest.class.getResourceAsStream("/kafka/" + name)) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    static JsonNode lastJsonLine(String out) throws IOException {
        String[] lines = out.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void kafkaPythonProducesAndConsumes() throws Exception {
        createTopic(floe.bootstrap(), "py-events", 3);
        JsonNode r = lastJsonLine(run(List.of(PYTHON, script("kafka_python.py").toString(), floe.bootstrap(),
                "py-events", "60"), null, 120));
        assertThat(r.get("produced")).hasSize(60);
        List<String> read = new ArrayList<>();
        r.get("read").forEach(n -> read.add(n.asText()));
        assertThat(read).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 60).mapToObj(i -> "py-" + i).toList());
    }

    @Test
    void librdkafkaProducesIdempotentlyAndConsumes() throws Exception {
        createTopic(floe.bootstrap(), "rd-events", 4);
        JsonNode r = lastJsonLine(run(List.of(PYTHON, script("confluent.py").toString(), floe.bootstrap(),
                "rd-events", "80"), null, 120));
        assertThat(r.get("partitions").asInt()).isEqualTo(4);
        r.get("delivered").forEach(d -> assertThat(d.isNull()).as("every record delivered").isFalse());
        List<String> read = new ArrayList<>();
        r.get("read").forEach(n -> read.add(n.asText()));
        assertThat(read).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 80).mapToObj(i -> "rd-" + i).toList());
    }

    @Test
    void kcatProducesAndConsumesFromTheBeginning() throws Exception {
        createTopic(floe.bootstrap(), "kcat-lines", 2);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("key").append(i % 3).append(":line-").append(i).append('\n');
        }
        run(List.of("kcat", "-b", floe.bootstrap(), "-t", "kcat-lines", "-P", "-K:", "-X", "acks=all"), lines.toString(), 60);
        String out = run(List.of("kcat", "-b", floe.bootstrap(), "-t", "kcat-lines", "-C", "-o", "beginning", "-e",
                "-f", "%k=%s\\n"), null, 60);
        List<String> got = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 40).mapToObj(i -> "key" + (i % 3) + "=line-" + i).toList());
        String list = run(List.of("kcat", "-b", floe.bootstrap(), "-L", "-t", "kcat-lines"), null, 30);
        assertThat(list).contains("topic \"kcat-lines\" with 2 partitions");
    }
}
