package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.BINARY_V2;
import static io.floe.api.rest.RestSupport.JSON_V2;
import static io.floe.api.rest.RestSupport.array;
import static io.floe.api.rest.RestSupport.createTopic;
import static io.floe.api.rest.RestSupport.fetch;
import static io.floe.api.rest.RestSupport.object;
import static io.floe.api.rest.RestSupport.produce;
import static io.floe.api.rest.RestSupport.tree;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Produce and fetch through the REST API against the real engine over an in-memory store. */
@QuarkusTest
class RecordsApiTest {

    @Test
    void jsonRecordsComeBackIdenticalWithOffsetsInOrder() {
        createTopic("json-roundtrip", 1, Map.of());
        ArrayNode records = array();
        records.addObject().put("key", "k1").set("value", tree("{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{\"d\":-2.5}}"));
        records.addObject().put("value", "plain string");
        records.addObject().put("key", 42).set("value", tree("3.14159265358979323846264338327950288"));
        ObjectNode withHeaders = records.addObject();
        withHeaders.put("key", "h").putNull("value");
        withHeaders.putArray("headers").addObject().put("name", "trace").put("value", "abc-é");
        withHeaders.put("timestamp", 1_700_000_000_000L);

        Response r = produce("json-roundtrip", JSON_V2, object().set("records", records).toString());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode answer = tree(r);
        assertThat(answer.has("key_schema_id")).isTrue();
        assertThat(answer.get("key_schema_id").isNull()).isTrue();
        assertThat(answer.get("value_schema_id").isNull()).isTrue();
        JsonNode offsets = answer.get("offsets");
        assertThat(offsets).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(offsets.get(i).get("partition").asInt()).isZero();
            assertThat(offsets.get(i).get("offset").asLong()).isEqualTo(i);
            assertThat(offsets.get(i).get("error_code").isNull()).isTrue();
        }

        Response f = fetch("json-roundtrip", 0, 0, JSON_V2);
        assertThat(f.statusCode()).as(f.asString()).isEqualTo(200);
        assertThat(f.contentType()).startsWith(JSON_V2);
        JsonNode got = tree(f);
        assertThat(got).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonNode sent = records.get(i);
            JsonNode rec = got.get(i);
            assertThat(rec.get("topic").asText()).isEqualTo("json-roundtrip");
            assertThat(rec.get("partition").asInt()).isZero();
            assertThat(rec.get("offset").asLong()).isEqualTo(i);
            assertThat(rec.get("key")).isEqualTo(sent.has("key") ? sent.get("key") : object().nullNode());
            assertThat(rec.get("value")).isEqualTo(sent.get("value"));
        }
        assertThat(got.get(3).get("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(got.get(3).get("headers").get(0).get("name").asText()).isEqualTo("trace");
        assertThat(got.get(3).get("headers").get(0).get("value").asText()).isEqualTo("abc-é");
        assertThat(got.get(0).get("timestamp").asLong()).isPositive();

        // Plain application/json is the json format too, both ways.
        Response plain = produce("json-roundtrip", "application/json", "{\"records\":[{\"value\":{\"n\":5}}]}");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(tree(plain).at("/offsets/0/offset").asLong()).isEqualTo(4);
        Response byDefault = given().queryParam("offset", 4).get("/topics/json-roundtrip/partitions/0/records");
        assertThat(byDefault.statusCode()).isEqualTo(200);
        assertThat(byDefault.contentType()).startsWith("application/json");
        assertThat(tree(byDefault).get(0).get("value")).isEqualTo(tree("{\"n\":5}"));
    }

    @Test
    void binaryRecordsComeBackByteForByte() {
        createTopic("binary-roundtrip", 1, Map.of());
        Random random = new Random(7);
        byte[] key = new byte[16];
        byte[] value = new byte[3000];
        random.nextBytes(key);
        random.nextBytes(value);
        byte[] header = {(byte) 0xff, 0, 1};
        Base64.Encoder b64 = Base64.getEncoder();
        ArrayNode records = array();
        ObjectNode rec = records.addObject().put("key", b64.encodeToString(key)).put("value", b64.encodeToString(value));
        rec.putArray("headers").addObject().put("name", "bin").put("value", b64.encodeToString(header));
        records.addObject().putNull("key").put("value", "");

        Response r = produce("binary-roundtrip", BINARY_V2, object().set("records", records).toString());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);

        Response f = fetch("binary-roundtrip", 0, 0, BINARY_V2);
        assertThat(f.statusCode()).as(f.asString()).isEqualTo(200);
        assertThat(f.contentType()).startsWith(BINARY_V2);
        JsonNode got = tree(f);
        assertThat(got).hasSize(2);
        assertThat(Base64.getDecoder().decode(got.get(0).get("key").asText())).isEqualTo(key);
        assertThat(Base64.getDecoder().decode(got.get(0).get("value").asText())).isEqualTo(value);
        assertThat(Base64.getDecoder().decode(got.get(0).at("/headers/0/value").asText())).isEqualTo(header);
        assertThat(got.get(1).get("key").isNull()).isTrue();
        assertThat(got.get(1).get("value").asText()).isEmpty();
    }

    @Test
    void keyedRecordsLandOnKafkasPartitionAndExplicitPartitionWins() {
        createTopic("keyed", 3, Map.of());
        ArrayNode records = array();
        List<String> keys = List.of("user-1", "user-2", "user-3", "user-4");
        for (int round = 0; round < 5; round++) {
            for (String k : keys) {
                records.addObject().put("key", k).put("value", round);
            }
        }
        Response r = produce("keyed", JSON_V2, object().set("records", records).toString());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode offsets = tree(r).get("offsets");
        for (int i = 0; i < offsets.size(); i++) {
            String key = keys.get(i % keys.size());
            // In the json format the stored key is the JSON text, quotes included.
            byte[] stored = ("\"" + key + "\"").getBytes(StandardCharsets.UTF_8);
            int expected = Utils.toPositive(Utils.murmur2(stored)) % 3;
            assertThat(offsets.get(i).get("partition").asInt()).as("partition of %s", key).isEqualTo(expected);
        }

        int natural = Utils.toPositive(Utils.murmur2("\"user-1\"".getBytes(StandardCharsets.UTF_8))) % 3;
        int other = (natural + 1) % 3;
        Response explicit = produce("keyed", JSON_V2,
                "{\"records\":[{\"key\":\"user-1\",\"value\":\"x\",\"partition\":" + other + "}]}");
        assertThat(explicit.statusCode()).isEqualTo(200);
        assertThat(tree(explicit).at("/offsets/0/partition").asInt()).isEqualTo(other);

        // Each key keeps its produce order within its partition.
        for (int p = 0; p < 3; p++) {
            JsonNode got = tree(fetch("keyed", p, 0, JSON_V2));
            Set<String> seen = new HashSet<>();
            int[] lastRound = new int[keys.size()];
            java.util.Arrays.fill(lastRound, -1);
            for (JsonNode rec : got) {
                if (rec.get("value").isTextual()) {
                    continue;
                }
                int k = keys.indexOf(rec.get("key").asText());
                assertThat(rec.get("value").asInt()).isGreaterThan(lastRound[k]);
                lastRound[k] = rec.get("value").asInt();
                seen.add(rec.get("key").asText());
            }
        }
    }

    @Test
    void fetchSkipsRecordsBelowTheRequestedOffsetAndOffsetsAreReported() {
        createTopic("offsets", 2, Map.of());
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 5; i++) {
            body.append(i == 0 ? "" : ",").append("{\"partition\":1,\"value\":").append(i).append('}');
        }
        assertThat(produce("offsets", JSON_V2, body.append("]}").toString()).statusCode()).isEqualTo(200);

        JsonNode got = tree(fetch("offsets", 1, 3, JSON_V2));
        assertThat(got).hasSize(2);
        assertThat(got.get(0).get("offset").asLong()).isEqualTo(3);
        assertThat(got.get(0).get("value").asInt()).isEqualTo(3);

        given().get("/topics/offsets/partitions/1/offsets").then().statusCode(200)
                .body("beginning_offset", org.hamcrest.Matchers.is(0))
                .body("end_offset", org.hamcrest.Matchers.is(5));
        JsonNode partitions = tree(given().get("/topics/offsets/partitions").then().statusCode(200).extract().response());
        assertThat(partitions).hasSize(2);
        assertThat(partitions.get(1).get("partition").asInt()).isEqualTo(1);
        assertThat(partitions.get(1).get("leader").asInt()).isZero();
        assertThat(partitions.get(1).at("/replicas/0/in_sync").asBoolean()).isTrue();
        assertThat(partitions.get(1).get("log_start_offset").asLong()).isZero();
        assertThat(partitions.get(1).get("end_offset").asLong()).isEqualTo(5);
        assertThat(partitions.get(0).get("end_offset").asLong()).isZero();
        JsonNode one = tree(given().get("/topics/offsets/partitions/1").then().statusCode(200).extract().response());
        assertThat(one.get("end_offset").asLong()).isEqualTo(5);

        // At the end of the log, an empty answer (after waiting up to the timeout).
        Response end = given().queryParam("offset", 5).queryParam("timeout", 50).queryParam("max_bytes", 1000)
                .get("/topics/offsets/partitions/1/records");
        assertThat(end.statusCode()).isEqualTo(200);
        assertThat(tree(end)).isEmpty();
    }

    @Test
    void longPollIsWokenByAProduce() throws Exception {
        createTopic("long-poll", 1, Map.of());
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> given().queryParam("offset", 0)
                .queryParam("timeout", 10_000).get("/topics/long-poll/partitions/0/records"));
        Thread.sleep(200);
        long start = System.nanoTime();
        assertThat(produce("long-poll", JSON_V2, "{\"records\":[{\"value\":\"wake\"}]}").statusCode()).isEqualTo(200);
        Response r = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(tree(r).get(0).get("value").asText()).isEqualTo("wake");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
