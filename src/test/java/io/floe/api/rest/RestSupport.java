package io.floe.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Helpers shared by the REST tests: JSON trees with exact numbers, topic creation, error checks. */
final class RestSupport {

    static final String JSON_V2 = RestMediaTypes.JSON_V2;
    static final String BINARY_V2 = RestMediaTypes.BINARY_V2;
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private RestSupport() {
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(Response r) {
        return tree(r.asString());
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static String clusterId() {
        return given().get("/v3/clusters").then().statusCode(200).extract().path("data[0].cluster_id");
    }

    static void createTopic(String name, int partitions, Map<String, String> configs) {
        ObjectNode body = object().put("topic_name", name).put("partitions_count", partitions);
        ArrayNode cs = body.putArray("configs");
        configs.forEach((k, v) -> cs.addObject().put("name", k).put("value", v));
        given().contentType("application/json").body(body.toString())
                .post("/v3/clusters/" + clusterId() + "/topics").then().statusCode(201);
    }

    static Response produce(String topic, String contentType, String body) {
        return given().contentType(contentType).body(body).post("/topics/" + topic);
    }

    static Response fetch(String topic, int partition, long offset, String accept) {
        return given().accept(accept).queryParam("offset", offset)
                .get("/topics/" + topic + "/partitions/" + partition + "/records");
    }

    /** Asserts an error answer: status, REST Proxy code, a message, and no trace of a stack. */
    static JsonNode assertError(Response r, int status, int errorCode) {
        String body = r.asString();
        assertThat(r.statusCode()).as("status of %s", body).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode json = tree(body);
        assertThat(json.path("error_code").asInt()).as("error_code of %s", body).isEqualTo(errorCode);
        assertThat(json.path("message").asText()).isNotBlank();
        assertNoStackTrace(body);
        return json;
    }

    static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("\tat ").doesNotContain(".java:").doesNotContain("Exception");
    }
}
