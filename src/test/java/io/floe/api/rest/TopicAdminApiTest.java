package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.assertError;
import static io.floe.api.rest.RestSupport.tree;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Topic administration through the v3 API, checked through both v2 and v3 views. */
@QuarkusTest
class TopicAdminApiTest {

    @Test
    void clusterIsStableAndDescribed() {
        JsonNode list = tree(given().get("/v3/clusters").then().statusCode(200).extract().response());
        assertThat(list.get("kind").asText()).isEqualTo("KafkaClusterList");
        assertThat(list.at("/metadata/self").asText()).endsWith("/v3/clusters");
        JsonNode cluster = list.get("data").get(0);
        String id = cluster.get("cluster_id").asText();
        assertThat(id).isNotBlank();
        assertThat(cluster.get("kind").asText()).isEqualTo("KafkaCluster");
        assertThat(cluster.at("/topics/related").asText()).endsWith("/v3/clusters/" + id + "/topics");
        JsonNode one = tree(given().get("/v3/clusters/" + id).then().statusCode(200).extract().response());
        assertThat(one.get("cluster_id").asText()).isEqualTo(id);
        assertThat(one.at("/metadata/self").asText()).endsWith("/v3/clusters/" + id);
    }

    @Test
    void topicAdminRoundTrip() {
        String id = RestSupport.clusterId();
        String topics = "/v3/clusters/" + id + "/topics";
        String topic = topics + "/admin-rt";

        Response created = given().contentType("application/json").body("""
                {"topic_name":"admin-rt","partitions_count":3,"replication_factor":3,
                 "configs":[{"name":"retention.ms","value":"3600000"}]}""").post(topics);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        JsonNode t = tree(created);
        assertThat(t.get("kind").asText()).isEqualTo("KafkaTopic");
        assertThat(t.get("topic_name").asText()).isEqualTo("admin-rt");
        assertThat(t.get("partitions_count").asInt()).isEqualTo(3);
        assertThat(t.get("replication_factor").asInt()).isEqualTo(1);
        assertThat(t.get("is_internal").asBoolean()).isFalse();
        assertThat(t.get("cluster_id").asText()).isEqualTo(id);
        assertThat(t.at("/metadata/self").asText()).endsWith(topic);
        assertThat(t.at("/metadata/resource_name").asText()).isEqualTo("crn:///kafka=" + id + "/topic=admin-rt");
        assertThat(t.at("/partitions/related").asText()).endsWith(topic + "/partitions");
        assertThat(t.at("/configs/related").asText()).endsWith(topic + "/configs");
        assertThat(created.header("Location")).endsWith(topic);

        // Described, listed (v3 and v2), with its partitions.
        assertThat(tree(given().get(topic).then().statusCode(200).extract().response()).get("partitions_count").asInt())
                .isEqualTo(3);
        JsonNode v3List = tree(given().get(topics).then().statusCode(200).extract().response());
        assertThat(v3List.get("kind").asText()).isEqualTo("KafkaTopicList");
        assertThat(v3List.get("data").findValuesAsText("topic_name")).contains("admin-rt");
        assertThat(given().get("/topics").then().statusCode(200).extract().jsonPath().getList("$", String.class))
                .contains("admin-rt");
        JsonNode v2 = tree(given().get("/topics/admin-rt").then().statusCode(200).extract().response());
        assertThat(v2.get("name").asText()).isEqualTo("admin-rt");
        assertThat(v2.at("/configs/retention.ms").asText()).isEqualTo("3600000");
        assertThat(v2.at("/configs/cleanup.policy").asText()).isEqualTo("delete");
        assertThat(v2.get("partitions")).hasSize(3);
        assertThat(v2.at("/partitions/2/partition").asInt()).isEqualTo(2);
        JsonNode parts = tree(given().get(topic + "/partitions").then().statusCode(200).extract().response());
        assertThat(parts.get("kind").asText()).isEqualTo("KafkaPartitionList");
        assertThat(parts.get("data")).hasSize(3);
        assertThat(parts.at("/data/1/partition_id").asInt()).isEqualTo(1);
        assertThat(parts.at("/data/1/leader/related").asText()).isNotBlank();

        // Increase to 5 partitions; lowering is refused.
        Response grown = given().contentType("application/json").body("{\"partitions_count\":5}").patch(topic);
        assertThat(grown.statusCode()).as(grown.asString()).isEqualTo(200);
        assertThat(tree(grown).get("partitions_count").asInt()).isEqualTo(5);
        assertThat(tree(given().get(topic + "/partitions").then().statusCode(200).extract().response()).get("data"))
                .hasSize(5);
        assertThat(given().get("/topics/admin-rt/partitions").then().statusCode(200).extract().jsonPath()
                .getList("$")).hasSize(5);
        assertError(given().contentType("application/json").body("{\"partitions_count\":2}").patch(topic), 422, 42201);

        // Configs: list, set, read, reset, alter in batch.
        JsonNode configs = tree(given().get(topic + "/configs").then().statusCode(200).extract().response());
        assertThat(configs.get("kind").asText()).isEqualTo("KafkaTopicConfigList");
        JsonNode retention = find(configs.get("data"), "retention.ms");
        assertThat(retention.get("value").asText()).isEqualTo("3600000");
        assertThat(retention.get("is_default").asBoolean()).isFalse();
        assertThat(retention.get("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
        assertThat(find(configs.get("data"), "cleanup.policy").get("is_default").asBoolean()).isTrue();

        given().contentType("application/json").body("{\"value\":\"compact\"}").put(topic + "/configs/cleanup.policy")
                .then().statusCode(204);
        JsonNode policy = tree(given().get(topic + "/configs/cleanup.policy").then().statusCode(200).extract().response());
        assertThat(policy.get("kind").asText()).isEqualTo("KafkaTopicConfig");
        assertThat(policy.get("value").asText()).isEqualTo("compact");
        assertThat(policy.get("is_default").asBoolean()).isFalse();

        given().delete(topic + "/configs/cleanup.policy").then().statusCode(204);
        policy = tree(given().get(topic + "/configs/cleanup.policy").then().statusCode(200).extract().response());
        assertThat(policy.get("value").asText()).isEqualTo("delete");
        assertThat(policy.get("is_default").asBoolean()).isTrue();

        given().contentType("application/json").body("""
                {"data":[{"name":"retention.bytes","value":"1048576"},
                         {"name":"retention.ms","operation":"DELETE"}]}""")
                .post(topic + "/configs:alter").then().statusCode(204);
        JsonNode after = tree(given().get("/topics/admin-rt").then().statusCode(200).extract().response());
        assertThat(after.at("/configs/retention.bytes").asText()).isEqualTo("1048576");
        assertThat(after.at("/configs/retention.ms").asText()).isEqualTo("604800000");

        // Delete: gone from every view.
        given().delete(topic).then().statusCode(204);
        assertError(given().get(topic), 404, 40401);
        assertError(given().get("/topics/admin-rt"), 404, 40401);
        assertThat(given().get("/topics").then().statusCode(200).extract().jsonPath().getList("$", String.class))
                .doesNotContain("admin-rt");
    }

    private static JsonNode find(JsonNode data, String name) {
        for (JsonNode c : data) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no config " + name + " in " + data);
    }

    @Test
    void everyKafkaTopicConfigIsAcceptedOverRestWithKafkasValidation() {
        String topics = "/v3/clusters/" + RestSupport.clusterId() + "/topics";
        Response created = given().contentType("application/json").body("""
                {"topic_name":"rest-segments","partitions_count":1,
                 "configs":[{"name":"segment.ms","value":"600000"},{"name":"min.cleanable.dirty.ratio","value":"0.2"}]}""")
                .post(topics);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        JsonNode segment = tree(given().get(topics + "/rest-segments/configs/segment.ms").then().statusCode(200).extract().response());
        assertThat(segment.get("value").asText()).isEqualTo("600000");
        assertThat(segment.get("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
        JsonNode jitter = tree(given().get(topics + "/rest-segments/configs/segment.jitter.ms").then().statusCode(200).extract().response());
        assertThat(jitter.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
        JsonNode bad = assertError(given().contentType("application/json").body("{\"value\":\"0\"}")
                .put(topics + "/rest-segments/configs/segment.ms"), 422, 42201);
        assertThat(bad.get("message").asText()).isEqualTo("Invalid value 0 for configuration segment.ms: Value must be at least 1");
        JsonNode unknown = assertError(given().contentType("application/json").body("{\"value\":\"1\"}")
                .put(topics + "/rest-segments/configs/segment.mss"), 422, 42201);
        assertThat(unknown.get("message").asText()).isEqualTo("Unknown topic config name: segment.mss");
    }
}
