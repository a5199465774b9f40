package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.BINARY_V2;
import static io.floe.api.rest.RestSupport.JSON_V2;
import static io.floe.api.rest.RestSupport.assertError;
import static io.floe.api.rest.RestSupport.createTopic;
import static io.floe.api.rest.RestSupport.fetch;
import static io.floe.api.rest.RestSupport.produce;
import static io.floe.api.rest.RestSupport.tree;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.log.Partitioner;
import io.floe.store.ObjectStore;
import io.floe.store.S3ObjectStore;
import io.floe.testkit.RadosGwProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The REST API end to end against a real S3 server (Ceph radosgw): what it stores, it serves. */
@QuarkusTest
@TestProfile(RadosGwProfile.class)
class RestOnRadosGwTest {

    @Test
    void keyedJsonEventsRoundTripThroughTheBucket() {
        createTopic("rgw-orders", 3, Map.of());
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 30; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"customer-").append(i % 4)
                    .append("\",\"value\":{\"order\":").append(i).append("}}");
        }
        Response r = produce("rgw-orders", JSON_V2, body.append("]}").toString());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode offsets = tree(r).get("offsets");
        for (int i = 0; i < 30; i++) {
            int expected = Partitioner.partition(("\"customer-" + (i % 4) + "\"").getBytes(StandardCharsets.UTF_8), 3);
            assertThat(offsets.get(i).get("partition").asInt()).as("record %d partition", i).isEqualTo(expected);
        }
        int total = 0;
        for (int p = 0; p < 3; p++) {
            Response f = fetch("rgw-orders", p, 0, JSON_V2);
            assertThat(f.statusCode()).as(f.asString()).isEqualTo(200);
            JsonNode records = tree(f);
            int previous = -1;
            for (JsonNode rec : records) {
                int order = rec.get("value").get("order").asInt();
                if (rec.get("key").asText().equals("customer-1")) {
                    assertThat(order).as("a key keeps its order").isGreaterThan(previous);
                    previous = order;
                }
                assertThat(rec.get("partition").asInt()).isEqualTo(p);
            }
            total += records.size();
            JsonNode range = tree(given().get("/topics/rgw-orders/partitions/" + p + "/offsets").then().extract().response());
            assertThat(range.get("end_offset").asLong()).isEqualTo(records.size());
        }
        assertThat(total).isEqualTo(30);
        try (S3ObjectStore bucket = RadosGwProfile.bucket()) {
            assertThat(bucket.list("topics/rgw-orders", null, 10)).hasSize(1);
            assertThat(bucket.list("data/", null, 1000)).extracting(ObjectStore.ObjectInfo::key)
                    .anyMatch(k -> k.contains("/commits/"));
        }
    }

    @Test
    void largeBinaryRecordsGoThroughASegmentObjectAndComeBackIdentical() {
        createTopic("rgw-binary", 1, Map.of("max.message.bytes", "4194304"));
        byte[] big = new byte[600_000]; // two of them exceed floe.flush.inline-bytes (1 MiB)
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        String b64 = Base64.getEncoder().encodeToString(big);
        Response r = produce("rgw-binary", BINARY_V2, "{\"records\":[{\"value\":\"" + b64 + "\"},{\"value\":\"" + b64 + "\"}]}");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        Response f = fetch("rgw-binary", 0, 1, BINARY_V2);
        assertThat(f.statusCode()).as(f.asString()).isEqualTo(200);
        List<String> values = tree(f).findValuesAsText("value");
        assertThat(values).containsExactly(b64);
        try (S3ObjectStore bucket = RadosGwProfile.bucket()) {
            assertThat(bucket.list("segments/", null, 1000)).isNotEmpty();
        }
    }

    @Test
    void errorsAreClearAndLoseNothing() {
        createTopic("rgw-errors", 1, Map.of("max.message.bytes", "1000"));
        assertThat(produce("rgw-errors", JSON_V2, "{\"records\":[{\"value\":\"ok\"}]}").statusCode()).isEqualTo(200);
        assertError(produce("rgw-errors", JSON_V2, "{\"records\":[{\"value\":\"" + "x".repeat(5000) + "\"}]}"), 413, 41301);
        assertError(produce("rgw-errors", JSON_V2, "{\"records\":[{\"value\":"), 400, 40001);
        assertError(fetch("rgw-errors", 0, 7, JSON_V2), 416, 41601);
        assertError(fetch("rgw-missing", 0, 0, JSON_V2), 404, 40401);
        JsonNode after = tree(fetch("rgw-errors", 0, 0, JSON_V2));
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("value").asText()).isEqualTo("ok");
    }
}
