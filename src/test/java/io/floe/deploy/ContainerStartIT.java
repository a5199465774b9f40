package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGw;
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

    private void start(int port, Map<String, String> floe) throws IOException {
        start(port, freePort(), floe);
    }

    private void start(int port, int kafkaPort, Map<String, String> floe) throws IOException {
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
        pb.redirectOutput(Files.createTempFile("floe-container", ".log").toFile());
        started.add(pb.start());
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
