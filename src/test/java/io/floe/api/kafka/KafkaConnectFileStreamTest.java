package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka Connect 4.3.1 distributed worker (ConnectDistributed, a child JVM on the test class path)
 * against the Kafka listener: its config, offset and status topics are compacted topics in Floe, its
 * workers form a group with Connect's own protocol, and the FileStream source and sink connectors move
 * a file through a Floe topic and out again, unchanged.
 */
class KafkaConnectFileStreamTest {

    private static FloeKafka floe;

    @BeforeAll
    static void start() {
        floe = FloeKafka.start("connect-filestream");
    }

    @AfterAll
    static void stop() {
        floe.close();
    }

    @Test
    void fileStreamSourceAndSinkMoveAFileThroughFloeUnchanged() throws Exception {
        Path dir = Files.createTempDirectory("floe-connect");
        Path in = dir.resolve("in.txt");
        Path out = dir.resolve("out.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("line " + i + " äöü " + "x".repeat(i % 50));
        }
        Files.write(in, lines, StandardCharsets.UTF_8);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path worker = dir.resolve("worker.properties");
        Files.writeString(worker, String.join("\n",
                "bootstrap.servers=" + floe.bootstrap(),
                "group.id=floe-connect",
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.storage.StringConverter",
                "config.storage.topic=connect-configs", "config.storage.replication.factor=1",
                "offset.storage.topic=connect-offsets", "offset.storage.replication.factor=1",
                "status.storage.topic=connect-status", "status.storage.replication.factor=1",
                "offset.flush.interval.ms=500",
                "listeners=http://127.0.0.1:" + port,
                "plugin.path=" + plugins) + "\n");
        Path log = dir.resolve("worker.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.connect.cli.ConnectDistributed", worker.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            waitFor(() -> get(http, base + "/connectors").equals("[]"), 120, log);
            post(http, base + "/connectors", "{\"name\":\"file-source\",\"config\":{\"connector.class\":"
                    + "\"org.apache.kafka.connect.file.FileStreamSourceConnector\",\"tasks.max\":\"1\",\"file\":\"" + in
                    + "\",\"topic\":\"connect-lines\"}}");
            post(http, base + "/connectors", "{\"name\":\"file-sink\",\"config\":{\"connector.class\":"
                    + "\"org.apache.kafka.connect.file.FileStreamSinkConnector\",\"tasks.max\":\"1\",\"file\":\"" + out
                    + "\",\"topics\":\"connect-lines\"}}");
            waitFor(() -> Files.exists(out) && Files.readAllLines(out, StandardCharsets.UTF_8).size() >= lines.size(), 120, log);
            assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).isEqualTo(lines);
            assertThat(get(http, base + "/connectors/file-sink/status")).contains("\"state\":\"RUNNING\"");
        } finally {
            p.destroy();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, int seconds, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (java.io.IOException e) {
                // the worker is not listening yet
            }
            Thread.sleep(500);
        }
        String tail = Files.exists(log) ? Files.readString(log) : "";
        throw new AssertionError("timed out; worker log tail:\n" + tail.substring(Math.max(0, tail.length() - 6000)));
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body().trim();
    }

    private static void post(HttpClient http, String url, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }
}
