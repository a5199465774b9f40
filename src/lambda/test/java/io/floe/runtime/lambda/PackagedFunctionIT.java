package io.floe.runtime.lambda;

import io.floe.runtime.Defaults;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.log.LogEngine;
import io.floe.log.LogSettings;
import io.floe.store.ObjectStore;
import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The deployment package itself: target/lambda/function.zip, unpacked and run with its entry point
 * {@link FloeLambda} the way the Lambda java21 runtime runs it, against radosgw. This is what the
 * mock-event-server tests cannot see: that the lean package still has every class it needs, the
 * scheduled maintenance event, and the quiesce before each return.
 */
class PackagedFunctionIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** docs/BENCHMARKS.md, "Deployment": the budget of the package. */
    private static final long MAX_PACKAGE_BYTES = 40L << 20;

    private static Path buildDir() {
        return Path.of(System.getProperty("floetest.build.dir", "target/lambda"));
    }

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    /** The body of an API Gateway v2 response, decoded. */
    private static String body(JsonNode response) {
        String b = response.path("body").asText("");
        return response.path("isBase64Encoded").asBoolean() ? new String(Base64.getDecoder().decode(b), StandardCharsets.UTF_8) : b;
    }

    @Test
    void thePackagedFunctionServesProduceFetchAndAdminAndRunsScheduledMaintenance() throws Exception {
        Path zip = buildDir().resolve("function.zip");
        assertThat(zip).as("built by the package phase of -Plambda").exists();
        assertThat(Files.size(zip)).as("package size").isLessThan(MAX_PACKAGE_BYTES);

        String bucketName;
        try (S3ObjectStore bucket = RadosGw.newBucketStore("floe-fn")) {
            bucketName = bucket.bucket();
            try (LogEngine admin = new LogEngine(bucket, Clock.systemUTC(), new SplittableRandom(7),
                    Defaults.log("it").withBackgroundThreads(false))) {
                admin.createTopic("fn-events", 1, Map.of());
            }
        }

        Path root = FunctionProcess.unpack(zip, buildDir().resolve("function-it"));
        Map<String, String> env = Map.of(
                "FLOE_STORAGE_URL", "s3://" + bucketName,
                "FLOE_S3_ENDPOINT", RadosGw.endpoint(),
                "FLOE_S3_PATH_STYLE", "true",
                "FLOE_S3_ACCESS_KEY", RadosGw.ACCESS_KEY,
                "FLOE_S3_SECRET_KEY", RadosGw.SECRET_KEY,
                "FLOE_S3_REGION", RadosGw.REGION,
                "FLOE_CHECKPOINT_EVERY_COMMITS", "2");
        try (FunctionProcess fn = FunctionProcess.start(root, env)) {
            JsonNode produced = json(fn.invoke(FunctionProcess.httpEvent("POST", "/topics/fn-events", null,
                    "application/vnd.kafka.json.v2+json", "{\"records\":[{\"key\":\"k\",\"value\":{\"n\":1}}]}")));
            assertThat(produced.get("statusCode").asInt()).as(produced.toString()).isEqualTo(200);
            assertThat(json(body(produced)).get("offsets").get(0).get("offset").asLong()).isZero();

            for (int n = 2; n <= 4; n++) {
                JsonNode more = json(fn.invoke(FunctionProcess.httpEvent("POST", "/topics/fn-events", null,
                        "application/vnd.kafka.json.v2+json", "{\"records\":[{\"value\":{\"n\":" + n + "}}]}")));
                assertThat(more.get("statusCode").asInt()).isEqualTo(200);
            }
            // Every invocation returned only after the engine was idle: the checkpoints that the
            // committers of commits 2 and 4 write are in the bucket already, not frozen half-way.
            try (S3ObjectStore bucket = S3ObjectStore.open(RadosGw.settings(bucketName))) {
                assertThat(bucket.list("data/", null, 1000)).extracting(ObjectStore.ObjectInfo::key)
                        .anyMatch(k -> k.contains("/checkpoints/"));
            }

            JsonNode fetched = json(fn.invoke(FunctionProcess.httpEvent("GET", "/topics/fn-events/partitions/0/records",
                    "offset=0", null, null)));
            assertThat(fetched.get("statusCode").asInt()).as(fetched.toString()).isEqualTo(200);
            assertThat(json(body(fetched))).hasSize(4);

            JsonNode topics = json(fn.invoke(FunctionProcess.httpEvent("GET", "/topics", null, null, null)));
            assertThat(body(topics)).contains("fn-events");

            JsonNode missing = json(fn.invoke(FunctionProcess.httpEvent("GET", "/topics/nope", null, null, null)));
            assertThat(missing.get("statusCode").asInt()).isEqualTo(404);

            JsonNode maintenance = json(fn.invoke(FunctionProcess.scheduledEvent()));
            assertThat(maintenance.get("maintenance").asText()).isEqualTo("done");
            assertThat(maintenance.get("checkpoints_written").asInt()).isZero();

            JsonNode manual = json(fn.invoke("{\"floe\":\"maintenance\"}"));
            assertThat(manual.get("maintenance").asText()).isEqualTo("done");
        }
    }
}
