package io.floe.runtime.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.testkit.RadosGwProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The REST API served by the Lambda package, end to end against radosgw. With Quarkus's Lambda HTTP
 * extension in test mode, RestAssured's requests go to Quarkus's mock Lambda event server, which
 * turns each into an API Gateway v2 (function URL) event, hands it to the Lambda poll loop and the
 * {@code LambdaHttpHandler}, and turns the handler's answer back into an HTTP response — the same
 * path a function URL takes in AWS. (The packaged function.zip and its entry point
 * {@link FloeLambda} are exercised by {@code PackagedFunctionIT}.)
 */
@QuarkusTest
@TestProfile(RadosGwProfile.class)
class LambdaHttpTest {

    private static final String JSON_V2 = "application/vnd.kafka.json.v2+json";
    private static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode tree(Response r) {
        try {
            return MAPPER.readTree(r.asString());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.asString(), e);
        }
    }

    private static String clusterId() {
        Response r = given().get("/v3/clusters");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return tree(r).get("data").get(0).get("cluster_id").asText();
    }

    @Test
    void topicAdminThroughTheLambdaHandler() {
        String cluster = clusterId();
        Response created = given().contentType("application/json")
                .body("{\"topic_name\":\"lambda-admin\",\"partitions_count\":2,\"configs\":[{\"name\":\"retention.ms\",\"value\":\"3600000\"}]}")
                .post("/v3/clusters/" + cluster + "/topics");
        assertThat(created.statusCode()).as(created.asString()).isIn(200, 201);

        Response dup = given().contentType("application/json")
                .body("{\"topic_name\":\"lambda-admin\",\"partitions_count\":2}").post("/v3/clusters/" + cluster + "/topics");
        assertThat(dup.statusCode()).as("errors keep their status through the Lambda event").isEqualTo(409);
        assertThat(tree(dup).get("error_code").asInt()).isEqualTo(40902);

        Response grown = given().contentType("application/json").body("{\"partitions_count\":4}")
                .patch("/v3/clusters/" + cluster + "/topics/lambda-admin");
        assertThat(grown.statusCode()).as(grown.asString()).isEqualTo(200);
        assertThat(tree(given().get("/topics/lambda-admin")).get("partitions")).hasSize(4);
        assertThat(given().get("/topics").asString()).contains("\"lambda-admin\"");

        Response deleted = given().delete("/v3/clusters/" + cluster + "/topics/lambda-admin");
        assertThat(deleted.statusCode()).as(deleted.asString()).isIn(200, 204);
        assertThat(given().get("/topics/lambda-admin").statusCode()).isEqualTo(404);
    }

    @Test
    void produceIsDurableWhenAnsweredAndFetchReadsItBack() {
        given().contentType("application/json").body("{\"topic_name\":\"lambda-events\",\"partitions_count\":1}")
                .post("/v3/clusters/" + clusterId() + "/topics");
        Response produced = given().contentType(JSON_V2)
                .body("{\"records\":[{\"key\":\"a\",\"value\":{\"n\":1}},{\"key\":\"b\",\"value\":{\"n\":2}}]}")
                .post("/topics/lambda-events");
        assertThat(produced.statusCode()).as(produced.asString()).isEqualTo(200);
        assertThat(tree(produced).get("offsets").get(1).get("offset").asLong()).isEqualTo(1);

        // Answered means committed: the bucket already holds the commit.
        try (var bucket = RadosGwProfile.bucket()) {
            assertThat(bucket.list("data/", null, 1000)).anyMatch(o -> o.key().contains("/commits/"));
        }

        Response fetched = given().accept(JSON_V2).get("/topics/lambda-events/partitions/0/records?offset=0");
        assertThat(fetched.statusCode()).as(fetched.asString()).isEqualTo(200);
        JsonNode records = tree(fetched);
        assertThat(records).hasSize(2);
        assertThat(records.get(1).get("value").get("n").asInt()).isEqualTo(2);
        assertThat(tree(given().get("/topics/lambda-events/partitions/0/offsets")).get("end_offset").asLong()).isEqualTo(2);
    }

    @Test
    void binaryRecordsSurviveTheBase64BodiesOfLambdaEvents() {
        given().contentType("application/json").body("{\"topic_name\":\"lambda-binary\",\"partitions_count\":1}")
                .post("/v3/clusters/" + clusterId() + "/topics");
        byte[] value = new byte[100_000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 7);
        }
        String b64 = Base64.getEncoder().encodeToString(value);
        Response produced = given().contentType(BINARY_V2).body("{\"records\":[{\"value\":\"" + b64 + "\"}]}")
                .post("/topics/lambda-binary");
        assertThat(produced.statusCode()).as(produced.asString()).isEqualTo(200);
        JsonNode records = tree(given().accept(BINARY_V2).get("/topics/lambda-binary/partitions/0/records?offset=0"));
        assertThat(records.get(0).get("value").asText()).isEqualTo(b64);
    }

    @Test
    void aConsumerGroupConsumesThroughTheLambdaHandler() {
        given().contentType("application/json").body("{\"topic_name\":\"lambda-group\",\"partitions_count\":1}")
                .post("/v3/clusters/" + clusterId() + "/topics");
        Response produced = given().contentType(JSON_V2)
                .body("{\"records\":[{\"value\":1},{\"value\":2},{\"value\":3}]}").post("/topics/lambda-group");
        assertThat(produced.statusCode()).as(produced.asString()).isEqualTo(200);

        String v2 = "application/vnd.kafka.v2+json";
        Response created = given().contentType(v2)
                .body("{\"name\":\"c1\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\"}").post("/consumers/lambda-g");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(200);
        String base = "/consumers/lambda-g/instances/c1";
        Response subscribed = given().contentType(v2).body("{\"topics\":[\"lambda-group\"]}").post(base + "/subscription");
        assertThat(subscribed.statusCode()).as(subscribed.asString()).isIn(200, 204);

        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 10 && got.length() < 3; i++) {
            Response r = given().accept(JSON_V2).get(base + "/records?timeout=1000");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            tree(r).forEach(rec -> got.append(rec.get("value").asInt()));
        }
        assertThat(got.toString()).isEqualTo("123");
        Response committed = given().contentType(v2).body("{}").post(base + "/offsets");
        assertThat(committed.statusCode()).as(committed.asString()).isIn(200, 204);
        Response deleted = given().delete(base);
        assertThat(deleted.statusCode()).as(deleted.asString()).isIn(200, 204);
        Response groups = given().get("/v3/clusters/" + clusterId() + "/consumer-groups/lambda-g");
        assertThat(groups.statusCode()).as(groups.asString()).isEqualTo(200);
    }

    @Test
    void aLongPollAndMaxBytesAboveWhatLambdaAllowsAreLoweredAndTheAnswerSaysSo() {
        given().contentType("application/json").body("{\"topic_name\":\"lambda-clamp\",\"partitions_count\":1}")
                .post("/v3/clusters/" + clusterId() + "/topics");
        given().contentType(JSON_V2).body("{\"records\":[{\"value\":1}]}").post("/topics/lambda-clamp");

        Response clamped = given().accept(JSON_V2).get("/topics/lambda-clamp/partitions/0/records?offset=0&timeout=60000&max_bytes=67108864");
        assertThat(clamped.statusCode()).as(clamped.asString()).isEqualTo(200);
        assertThat(clamped.header("Floe-Timeout-Clamped-Ms")).isEqualTo("20000");
        assertThat(clamped.header("Floe-Max-Bytes-Clamped")).isEqualTo(String.valueOf(4 << 20));
        assertThat(tree(clamped)).hasSize(1);

        Response within = given().accept(JSON_V2).get("/topics/lambda-clamp/partitions/0/records?offset=0&timeout=1000");
        assertThat(within.header("Floe-Timeout-Clamped-Ms")).isNull();
        assertThat(within.header("Floe-Max-Bytes-Clamped")).isNull();

        // At the end of the log the lowered wait is the one served: the function's timeout is not reached.
        long start = System.nanoTime();
        Response waited = given().accept(JSON_V2).get("/topics/lambda-clamp/partitions/0/records?offset=1&timeout=60000");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(tree(waited)).isEmpty();
        assertThat(seconds).isBetween(19L, 35L);
    }

    @Test
    void aFetchAnswerStaysWithinTheSixMegabytesOfAFunctionUrl() throws Exception {
        given().contentType("application/json").body("{\"topic_name\":\"lambda-big\",\"partitions_count\":1}")
                .post("/v3/clusters/" + clusterId() + "/topics");
        // Strings of quotes: 450,000 characters stored as 900 KB (JSON escapes each), answered as
        // 900 KB in the body and 1.8 MB once the body is escaped in Lambda's response envelope.
        String value = MAPPER.writeValueAsString("\"".repeat(450_000));
        for (int i = 0; i < 4; i++) {
            Response produced = given().contentType(JSON_V2).body("{\"records\":[{\"value\":" + value + "}]}")
                    .post("/topics/lambda-big");
            assertThat(produced.statusCode()).as(produced.asString()).isEqualTo(200);
        }

        Response fetched = given().accept(JSON_V2).get("/topics/lambda-big/partitions/0/records?offset=0&max_bytes=4194304");
        assertThat(fetched.statusCode()).as(fetched.header("Content-Type")).isEqualTo(200);
        byte[] body = fetched.asByteArray();
        long carried = MAPPER.writeValueAsBytes(new String(body, java.nio.charset.StandardCharsets.UTF_8)).length;
        assertThat(carried).as("the body as the response envelope carries it").isLessThanOrEqualTo(6_000_000);
        assertThat(fetched.header("Floe-Response-Limited")).isEqualTo("6000000");
        JsonNode records = MAPPER.readTree(body);
        assertThat(records.size()).isBetween(1, 3);
        assertThat(records.get(0).get("offset").asLong()).isZero();

        // The client goes on from the last offset it got and reads the rest.
        long next = records.get(records.size() - 1).get("offset").asLong() + 1;
        JsonNode rest = tree(given().accept(JSON_V2).get("/topics/lambda-big/partitions/0/records?offset=" + next));
        assertThat(records.size() + rest.size()).isEqualTo(4);
    }

    @Test
    void healthAndBadRequestsAnswerAsOverHttp() {
        assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(200);
        Response bad = given().contentType(JSON_V2).body("{not json").post("/topics/lambda-events");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.asString()).doesNotContain("Exception");
    }
}
