package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.BINARY_V2;
import static io.floe.api.rest.RestSupport.JSON_V2;
import static io.floe.api.rest.RestSupport.assertError;
import static io.floe.api.rest.RestSupport.clusterId;
import static io.floe.api.rest.RestSupport.createTopic;
import static io.floe.api.rest.RestSupport.fetch;
import static io.floe.api.rest.RestSupport.produce;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad request gets its status and REST Proxy error code, never a 500 or a stack trace. */
@QuarkusTest
class RestErrorsTest {

    private static final String TOPIC = "errors";
    private static boolean created;

    @BeforeEach
    void topicWithThreeRecords() {
        if (!created) {
            createTopic(TOPIC, 1, Map.of("max.message.bytes", "1000"));
            assertThat(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1},{\"value\":2},{\"value\":3}]}").statusCode())
                    .isEqualTo(200);
            created = true;
        }
    }

    private static String topics() {
        return "/v3/clusters/" + clusterId() + "/topics";
    }

    @Test
    void malformedJsonIs400() {
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[]} trailing"), 400, 40001);
        assertError(given().contentType("application/json").body("{not json").post(topics()), 400, 40001);
    }

    @Test
    void missingBodyIs400() {
        assertError(given().contentType(JSON_V2).post("/topics/" + TOPIC), 400, 40001);
        assertError(given().contentType("application/json").post(topics()), 400, 40001);
    }

    @Test
    void wrongJsonTypesAre400() {
        assertError(produce(TOPIC, JSON_V2, "[1,2]"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":{}}"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[5]}"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"partition\":\"zero\"}]}"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"partition\":1.5}]}"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"timestamp\":\"now\"}]}"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"headers\":{\"a\":\"b\"}}]}"), 400, 40001);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"headers\":[{\"name\":\"a\",\"value\":7}]}]}"), 400, 40001);
        assertError(produce(TOPIC, BINARY_V2, "{\"records\":[{\"value\":123}]}"), 400, 40001);
        JsonNode e = assertError(given().contentType("application/json")
                .body("{\"topic_name\":\"x-types\",\"partitions_count\":\"three\"}").post(topics()), 400, 40001);
        assertThat(e.get("message").asText()).contains("partitions_count");
        assertError(given().contentType("application/json")
                .body("{\"topic_name\":\"x-types\",\"configs\":{\"a\":1}}").post(topics()), 400, 40001);
        assertError(given().contentType("application/json").body("[]").post(topics()), 400, 40001);
    }

    @Test
    void invalidValuesAre422() {
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[]}"), 422, 42201);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"partition\":-1}]}"), 422, 42201);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"timestamp\":-5}]}"), 422, 42201);
        assertError(produce(TOPIC, BINARY_V2, "{\"records\":[{\"value\":\"not base64!!\"}]}"), 422, 42202);
    }

    @Test
    void unknownTopicIs404() {
        assertError(produce("no-such-topic", JSON_V2, "{\"records\":[{\"value\":1}]}"), 404, 40401);
        assertError(given().get("/topics/no-such-topic"), 404, 40401);
        assertError(given().get("/topics/no-such-topic/partitions"), 404, 40401);
        assertError(given().get("/topics/no-such-topic/partitions/0/offsets"), 404, 40401);
        assertError(fetch("no-such-topic", 0, 0, JSON_V2), 404, 40401);
        assertError(given().get(topics() + "/no-such-topic"), 404, 40401);
        assertError(given().delete(topics() + "/no-such-topic"), 404, 40401);
    }

    @Test
    void unknownPartitionIs404() {
        assertError(fetch(TOPIC, 7, 0, JSON_V2), 404, 40402);
        assertError(given().get("/topics/" + TOPIC + "/partitions/7/offsets"), 404, 40402);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":1,\"partition\":9}]}"), 404, 40402);
        assertError(given().get(topics() + "/" + TOPIC + "/partitions/3"), 404, 40402);
    }

    @Test
    void badFetchParametersAreNamed() {
        String path = "/topics/" + TOPIC + "/partitions/0/records";
        JsonNode e = assertError(given().queryParam("offset", -1).get(path), 422, 42201);
        assertThat(e.get("message").asText()).contains("offset");
        e = assertError(given().queryParam("offset", "abc").get(path), 400, 40001);
        assertThat(e.get("message").asText()).contains("offset").contains("abc");
        assertError(given().get(path), 422, 42201);
        assertError(given().queryParam("offset", 0).queryParam("max_bytes", 0).get(path), 422, 42201);
        assertError(given().queryParam("offset", 0).queryParam("max_bytes", "lots").get(path), 400, 40001);
        assertError(given().queryParam("offset", 0).queryParam("timeout", -1).get(path), 422, 42201);
        assertError(given().queryParam("offset", 0).queryParam("timeout", "1s").get(path), 400, 40001);
        assertError(given().queryParam("offset", 0).get("/topics/" + TOPIC + "/partitions/-1/records"), 422, 42201);
        e = assertError(given().queryParam("offset", 0).get("/topics/" + TOPIC + "/partitions/zero/records"), 400, 40001);
        assertThat(e.get("message").asText()).contains("partition");
        assertError(given().get("/topics/" + TOPIC + "/partitions/x/offsets"), 400, 40001);
    }

    @Test
    void offsetOutOfRangeIs416AndNamesTheRange() {
        JsonNode e = assertError(fetch(TOPIC, 0, 100, JSON_V2), 416, 41601);
        assertThat(e.get("message").asText()).contains("100").contains("0").contains("3");
        assertThat(e.get("log_start_offset").asLong()).isZero();
        assertThat(e.get("end_offset").asLong()).isEqualTo(3);
    }

    @Test
    void oversizedRecordIs413AndNothingIsStored() {
        String big = "x".repeat(5000);
        assertError(produce(TOPIC, JSON_V2, "{\"records\":[{\"value\":\"" + big + "\"}]}"), 413, 41301);
        given().get("/topics/" + TOPIC + "/partitions/0/offsets").then().statusCode(200)
                .body("end_offset", org.hamcrest.Matchers.is(3));
    }

    @Test
    void unsupportedContentTypeIs415() {
        assertError(given().contentType("text/plain").body("hello").post("/topics/" + TOPIC), 415, 41501);
        assertError(given().contentType("application/vnd.kafka.avro.v2+json").body("{}").post("/topics/" + TOPIC), 415, 41501);
        assertError(given().contentType("text/plain").body("{}").post(topics()), 415, 41501);
    }

    @Test
    void recordThatIsNotJsonAsksForTheBinaryFormat() {
        createTopic("not-json", 1, Map.of());
        assertThat(produce("not-json", BINARY_V2, "{\"records\":[{\"value\":\"AP8=\"}]}").statusCode()).isEqualTo(200);
        JsonNode e = assertError(fetch("not-json", 0, 0, JSON_V2), 406, 42203);
        assertThat(e.get("message").asText()).contains(BINARY_V2);
        assertThat(fetch("not-json", 0, 0, BINARY_V2).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidTopicNamesAndConfigsAre422() {
        assertError(create("{\"topic_name\":\"bad name!\",\"partitions_count\":1}"), 422, 42201);
        assertError(create("{\"topic_name\":\"" + "a".repeat(250) + "\",\"partitions_count\":1}"), 422, 42201);
        assertError(create("{\"topic_name\":\"..\",\"partitions_count\":1}"), 422, 42201);
        assertError(create("{\"partitions_count\":1}"), 422, 42201);
        assertError(create("{\"topic_name\":\"zero-partitions\",\"partitions_count\":0}"), 422, 42201);
        assertError(create("{\"topic_name\":\"bad-config\",\"configs\":[{\"name\":\"retention.ms\",\"value\":\"soon\"}]}"),
                422, 42201);
        JsonNode e = assertError(create("{\"topic_name\":\"bad-config\",\"configs\":[{\"name\":\"no.such\",\"value\":\"1\"}]}"),
                422, 42201);
        assertThat(e.get("message").asText()).contains("no.such");
        assertError(given().contentType("application/json").body("{\"value\":\"-7\"}")
                .put(topics() + "/" + TOPIC + "/configs/retention.ms"), 422, 42201);
        assertError(given().contentType("application/json").body("{\"partitions_count\":1}")
                .post(topics() + "/" + TOPIC + "/configs:alter"), 422, 42201);
    }

    @Test
    void existingTopicIs409() {
        assertError(create("{\"topic_name\":\"" + TOPIC + "\",\"partitions_count\":1}"), 409, 40902);
    }

    @Test
    void unknownPathsMethodsAndClustersAreJsonErrors() {
        assertError(given().get("/no/such/path"), 404, 404);
        assertError(given().put("/topics"), 405, 405);
        assertError(given().get("/v3/clusters/not-this-cluster"), 404, 404);
        assertError(given().get("/v3/clusters/not-this-cluster/topics"), 404, 404);
        assertError(given().get(topics() + "/" + TOPIC + "/configs/no.such"), 404, 404);
    }

    @Test
    void unacceptableFetchFormatIs406() {
        assertError(fetch(TOPIC, 0, 0, "text/html"), 406, 40601);
    }

    private static Response create(String body) {
        return given().contentType("application/json").body(body).post(topics());
    }
}
