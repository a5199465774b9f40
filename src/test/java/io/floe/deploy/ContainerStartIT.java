package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGw;
import io.floe.testkit.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The container's start command and health probes, run on the packaged application exactly as
 * src/main/docker/Dockerfile.jvm runs them (there is no Docker engine here): its ENTRYPOINT script
 * with the image's environment and FLOE_APP_DIR at target/quarkus-app, its HEALTHCHECK script for
 * the probes. Then infra/smoke-test.sh against it, as it would run against staging.
 */
class ContainerStartIT {

    private static final Path PROJECT = Path.of(System.getProperty("floetest.project.dir", "."));
    private static final Path DOCKER = PROJECT.resolve("src/main/docker");
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theDockerfileStartsTheServerWithTheseScriptsAndExposesRestAndKafka() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile.jvm"));
        assertThat(dockerfile).contains("ENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]")
                .contains("CMD [\"/usr/local/bin/healthcheck.sh\"]")
                .contains("EXPOSE 8080 9092")
                .contains("src/main/docker/entrypoint.sh src/main/docker/healthcheck.sh /usr/local/bin/")
                .contains("FLOE_APP_DIR=/deployments")
                .contains("FROM eclipse-temurin:21-jre");
    }

    @Test
    void startsOnABucketAnswersBothHealthProbesAndPassesTheSmokeTest() throws Exception {
        String bucket;
        try (S3ObjectStore store = RadosGw.newBucketStore("floe-container")) {
            bucket = store.bucket();
        }
        int port = freePort();
        int kafkaPort = freePort();
        start(port, kafkaPort, Map.of("FLOE_STORAGE_URL", "s3://" + bucket, "FLOE_S3_ENDPOINT", RadosGw.endpoint(),
                "FLOE_S3_PATH_STYLE", "true", "FLOE_S3_ACCESS_KEY", RadosGw.ACCESS_KEY,
                "FLOE_S3_SECRET_KEY", RadosGw.SECRET_KEY));
        awaitProbe(port, "live");
        assertThat(run(healthcheck(port, "ready")).exit()).isZero();
        assertThat(run(healthcheck(port)).exit()).as("the HEALTHCHECK command").isZero();

        try (java.net.Socket kafka = new java.net.Socket("127.0.0.1", kafkaPort)) {
            assertThat(kafka.isConnected()).as("the Kafka listener accepts connections").isTrue();
        }

        Result smoke = run(new ProcessBuilder(PROJECT.resolve("infra/smoke-test.sh").toString(), "http://127.0.0.1:" + port));
        assertThat(smoke.exit()).as(smoke.output()).isZero();
        assertThat(smoke.output()).contains("smoke: OK");
    }

    @Test
    void anUnreachableBucketMakesItUnreadyButAlive() throws Exception {
        int port = freePort();
        start(port, Map.of("FLOE_STORAGE_URL", "s3://nowhere", "FLOE_S3_ENDPOINT", "http://127.0.0.1:" + freePort(),
                "FLOE_S3_PATH_STYLE", "true", "FLOE_S3_ACCESS_KEY", "x", "FLOE_S3_SECRET_KEY", "y"));
        awaitProbe(port, "live");
        Result ready = run(healthcheck(port, "ready"));
        assertThat(ready.exit()).isNotZero();
        assertThat(ready.output()).contains("/q/health/ready: HTTP/1.1 503");
        assertThat(run(healthcheck(port)).exit()).as("the HEALTHCHECK marks it unhealthy").isNotZero();
    }

    @Test
    void withoutAuthenticationTheContainerListensOnLoopbackOnlyAndSaysSo() throws Exception {
        int port = freePort();
        Path log = start(port, freePort(), Map.of("FLOE_STORAGE_URL", "memory:"));
        awaitProbe(port, "live");
        assertThat(Files.readString(log)).contains("No authentication configured: Floe listens on loopback (127.0.0.1) only")
                .contains("Listening on: http://127.0.0.1:" + port);
    }

    /**
     * The "done when", on the container's start command with authentication and TLS from the
     * environment: anonymous and wrong-password clients refused, admin creates alice with kafka-configs.sh,
     * alice gets TOPIC_AUTHORIZATION_FAILED until kafka-acls.sh grants her the topic, then produces and
     * consumes in her group over SASL_SSL; REST answers 401 without credentials and 403 for alice.
     */
    @Test
    void withAuthenticationAndTlsAliceMayUseOnlyWhatAdminGrantedHer() throws Exception {
        String bucket;
        try (S3ObjectStore store = RadosGw.newBucketStore("floe-secure")) {
            bucket = store.bucket();
        }
        TestCertificates certs = TestCertificates.create();
        TestCertificates.Pem server = certs.server("floe-container");
        String ca = certs.ca().certificate().toString();
        int port = freePort();
        int kafkaPort = freePort();
        Map<String, String> env = new HashMap<>(Map.of("FLOE_STORAGE_URL", "s3://" + bucket, "FLOE_S3_ENDPOINT", RadosGw.endpoint(),
                "FLOE_S3_PATH_STYLE", "true", "FLOE_S3_ACCESS_KEY", RadosGw.ACCESS_KEY, "FLOE_S3_SECRET_KEY", RadosGw.SECRET_KEY,
                "FLOE_AUTH_ENABLED", "true", "FLOE_AUTH_ADMIN_PASSWORD", "admin-S3cret",
                "FLOE_TLS_CERTIFICATE_FILE", server.certificate().toString(), "FLOE_TLS_KEY_FILE", server.key().toString()));
        Path log = start(port, kafkaPort, env);
        ProcessBuilder probe = healthcheck(port, "ready");
        probe.environment().put("FLOE_TLS_CERTIFICATE_FILE", server.certificate().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (run(probe).exit() != 0) {
            assertThat(System.nanoTime()).as("ready over HTTPS within 90 s").isLessThan(deadline);
            Thread.sleep(500);
            probe = healthcheck(port, "ready");
            probe.environment().put("FLOE_TLS_CERTIFICATE_FILE", server.certificate().toString());
        }
        String b = "127.0.0.1:" + kafkaPort;
        Path admin = clientConfig(ca, "SCRAM-SHA-512", "admin", "admin-S3cret");
        Path wrong = clientConfig(ca, "SCRAM-SHA-512", "admin", "guess");
        Path alice = clientConfig(ca, "SCRAM-SHA-256", "alice", "alice-S3cret");

        assertThat(tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", b, "--list").exit())
                .as("anonymous (plaintext, no SASL)").isNotZero();
        Result refused = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", b, "--command-config", wrong.toString(),
                "--list");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("Authentication failed").doesNotContain("guess");

        assertOk(tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", b, "--command-config", admin.toString(),
                "--create", "--topic", "payments", "--partitions", "2"));
        assertOk(tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", b, "--command-config", admin.toString(),
                "--create", "--topic", "secrets", "--partitions", "1"));
        assertOk(tool("kafka.admin.ConfigCommand", "--bootstrap-server", b, "--command-config", admin.toString(), "--alter",
                "--entity-type", "users", "--entity-name", "alice", "--add-config", "SCRAM-SHA-256=[password=alice-S3cret]"));

        java.util.Properties producer = new java.util.Properties();
        producer.load(Files.newBufferedReader(alice));
        producer.put("bootstrap.servers", b);
        producer.put("max.block.ms", "10000");
        producer.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        producer.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(producer)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("payments", "x")).get());
            assertThat(e.getCause()).as("no ACL yet").isInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
        }

        assertOk(tool("org.apache.kafka.tools.AclCommand", "--bootstrap-server", b, "--command-config", admin.toString(), "--add",
                "--allow-principal", "User:alice", "--operation", "Write", "--operation", "Read", "--topic", "payments"));
        assertOk(tool("org.apache.kafka.tools.AclCommand", "--bootstrap-server", b, "--command-config", admin.toString(), "--add",
                "--allow-principal", "User:alice", "--operation", "Read", "--group", "alice-group"));
        assertOk(toolWithInput("p-1\np-2\np-3\n", "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server", b,
                "--producer.config", alice.toString(), "--topic", "payments"));
        Result consumed = tool("org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server", b, "--consumer.config",
                alice.toString(), "--topic", "payments", "--group", "alice-group", "--from-beginning", "--max-messages", "3",
                "--timeout-ms", "30000");
        assertThat(consumed.output().lines().filter(l -> l.startsWith("p-")).count()).as(consumed.output()).isEqualTo(3);

        String https = "https://127.0.0.1:" + port;
        assertThat(TestCertificates.run(List.of("curl", "-s", "--cacert", ca, "-o", "/dev/null", "-w", "%{http_code}",
                https + "/topics"), null)).isEqualTo("401");
        assertThat(TestCertificates.run(List.of("curl", "-s", "--cacert", ca, "-u", "alice:alice-S3cret", "-o", "/dev/null",
                "-w", "%{http_code}", "-H", "Accept: application/vnd.kafka.json.v2+json",
                https + "/topics/secrets/partitions/0/records?offset=0"), null)).isEqualTo("403");
        assertThat(TestCertificates.run(List.of("curl", "-s", "--cacert", ca, "-u", "alice:alice-S3cret", https + "/topics"), null))
                .contains("payments").doesNotContain("secrets");
        assertThat(Files.readString(log)).doesNotContain("admin-S3cret").doesNotContain("alice-S3cret");
    }

    private static Path clientConfig(String ca, String mechanism, String user, String password) throws IOException {
        String module = "org.apache.kafka.common.security.scram.ScramLoginModule";
        Path f = Files.createTempFile("floe-client", ".properties");
        Files.writeString(f, "security.protocol=SASL_SSL\nssl.truststore.type=PEM\nssl.truststore.location=" + ca
                + "\nsasl.mechanism=" + mechanism + "\nsasl.jaas.config=" + module + " required username=\"" + user
                + "\" password=\"" + password + "\";\n");
        return f;
    }

    private static Result tool(String mainClass, String... args) throws Exception {
        return toolWithInput(null, mainClass, args);
    }

    private static Result toolWithInput(String stdin, String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            return run(pb);
        }
        Path in = Files.createTempFile("floe-stdin", ".txt");
        Files.writeString(in, stdin);
        pb.redirectInput(in.toFile());
        return run(pb);
    }

    private static void assertOk(Result r) {
        assertThat(r.exit()).as(r.output()).isZero();
    }

    private void start(int port, Map<String, String> floe) throws IOException {
        start(port, freePort(), floe);
    }

    /** Starts the entrypoint script; returns the file its output goes to. */
    private Path start(int port, int kafkaPort, Map<String, String> floe) throws IOException {
        Path appDir = Path.of(System.getProperty("floetest.build.dir", "target")).resolve("quarkus-app");
        assertThat(appDir.resolve("quarkus-run.jar")).as("packaged by ./mvnw package").exists();
        ProcessBuilder pb = new ProcessBuilder(DOCKER.resolve("entrypoint.sh").toString());
        Map<String, String> env = pb.environment();
        env.put("FLOE_APP_DIR", appDir.toString()); // the image's /deployments
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("FLOE_KAFKA_PORT", Integer.toString(kafkaPort)); // the image's 9092; a free one here
        env.put("JAVA_OPTS_APPEND", "-Xmx256m"); // the image sizes the heap from the container's limit
        env.putAll(floe);
        pb.redirectErrorStream(true);
        Path log = Files.createTempFile("floe-container", ".log");
        pb.redirectOutput(log.toFile());
        started.add(pb.start());
        return log;
    }

    private static ProcessBuilder healthcheck(int port, String... mode) {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.resolve("healthcheck.sh").toString()));
        cmd.addAll(List.of(mode));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("FLOE_HEALTH_PORT", Integer.toString(port));
        return pb;
    }

    private void awaitProbe(int port, String mode) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (run(healthcheck(port, mode)).exit() != 0) {
            assertThat(started.get(started.size() - 1).isAlive()).as("the server process is running").isTrue();
            assertThat(System.nanoTime()).as("answered within 60 s").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    record Result(int exit, String output) {
    }

    private static Result run(ProcessBuilder pb) throws Exception {
        pb.redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(pb.environment());
        env.keySet().removeIf(k -> k.startsWith("AWS_")); // the smoke test signs only when asked to
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + pb.command() + "\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
