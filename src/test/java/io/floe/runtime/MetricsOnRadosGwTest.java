package io.floe.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.testkit.RadosGwJanitorProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metrics of docs/OPERATIONS.md, asserted by name and value at /q/metrics after known traffic
 * through the REST API against a real S3 server (radosgw).
 */
@QuarkusTest
@TestProfile(RadosGwJanitorProfile.class)
class MetricsOnRadosGwTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$");

    @Test
    void produceFetchFlushCommitStoreAndJanitorWorkAreCountedByName() throws Exception {
        String topic = "metrics-orders";
        Response created = given().contentType("application/json")
                .body("{\"topic_name\":\"" + topic + "\",\"partitions_count\":2}")
                .post("/v3/clusters/" + given().get("/v3/clusters").jsonPath().getString("data[0].cluster_id") + "/topics");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 10; i++) {
            body.append(i == 0 ? "" : ",").append("{\"partition\":").append(i % 2).append(",\"value\":{\"n\":").append(i).append("}}");
        }
        Response produced = given().contentType("application/vnd.kafka.json.v2+json").body(body.append("]}").toString())
                .post("/topics/" + topic);
        assertThat(produced.statusCode()).as(produced.asString()).isEqualTo(200);
        for (int p = 0; p < 2; p++) {
            Response fetched = given().accept("application/vnd.kafka.json.v2+json")
                    .get("/topics/" + topic + "/partitions/" + p + "/records?offset=0");
            assertThat(fetched.statusCode()).as(fetched.asString()).isEqualTo(200);
            assertThat(fetched.jsonPath().getList("$")).hasSize(5);
        }
        Thread.sleep(1_500); // at least one janitor run (every 500 ms in this profile)

        Map<String, Double> m = scrape();
        String t = "{topic=\"" + topic + "\"}";
        assertThat(m.get("floe_produce_records_total" + t)).isEqualTo(10.0);
        assertThat(m.get("floe_fetch_records_total" + t)).isEqualTo(10.0);
        double producedBytes = m.get("floe_produce_bytes_total" + t);
        assertThat(producedBytes).isPositive();
        assertThat(m.get("floe_fetch_bytes_total" + t)).as("the same batches come back").isEqualTo(producedBytes);
        assertThat(m.get("floe_flush_object_size_bytes_count")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("floe_flush_object_size_bytes_sum")).isGreaterThanOrEqualTo(producedBytes);
        assertThat(m.get("floe_commit_duration_seconds_count{outcome=\"ok\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("floe_commit_duration_seconds_sum{outcome=\"ok\"}")).isPositive();
        assertThat(m).containsKey("floe_commit_duration_seconds_bucket{outcome=\"ok\",le=\"+Inf\"}");
        // Every request the counting store saw was timed (a few may be in flight during the scrape).
        for (String op : new String[] {"GET", "CREATE_IF_ABSENT", "LIST"}) {
            double sent = m.get("floe_store_requests_total{operation=\"" + op + "\"}");
            double timed = m.getOrDefault("floe_store_request_duration_seconds_count{operation=\"" + op + "\",outcome=\"ok\"}", 0.0)
                    + m.getOrDefault("floe_store_request_duration_seconds_count{operation=\"" + op + "\",outcome=\"error\"}", 0.0);
            assertThat(sent).as(op).isPositive();
            assertThat(timed).as(op).isBetween(sent - 3, sent);
        }
        assertThat(m.get("floe_janitor_runs_total{outcome=\"leader\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(m).containsKey("floe_janitor_work_total{kind=\"deleted\"}");
    }

    @Test
    void cacheHitsAndMissesAndRebalancesAreCountedByName() {
        String topic = "metrics-cache";
        Response created = given().contentType("application/json")
                .body("{\"topic_name\":\"" + topic + "\",\"partitions_count\":1}")
                .post("/v3/clusters/" + given().get("/v3/clusters").jsonPath().getString("data[0].cluster_id") + "/topics");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        Response produced = given().contentType("application/vnd.kafka.json.v2+json")
                .body("{\"records\":[{\"value\":1},{\"value\":2}]}").post("/topics/" + topic);
        assertThat(produced.statusCode()).as(produced.asString()).isEqualTo(200);
        String hit = "floe_cache_gets_total{cache=\"segments\",result=\"hit\"}";
        String miss = "floe_cache_gets_total{cache=\"segments\",result=\"miss\"}";

        // The first fetch reads the entry (from memory or the store); a second fetch of the same
        // offsets is served from memory: one hit more, no miss more.
        Map<String, Double> before = scrape();
        fetchTwoRecords(topic);
        Map<String, Double> first = scrape();
        assertThat(first.get(hit) + first.get(miss) - before.get(hit) - before.get(miss)).isGreaterThanOrEqualTo(1.0);
        fetchTwoRecords(topic);
        Map<String, Double> second = scrape();
        assertThat(second.get(hit) - first.get(hit)).isEqualTo(first.get(hit) + first.get(miss) - before.get(hit) - before.get(miss));
        assertThat(second.get(miss)).isEqualTo(first.get(miss));

        // A REST consumer joining a group forms a new generation: one rebalance each, the second
        // member's too; its leaving (one member left) is another.
        String rebalances = "floe_group_rebalances_total{protocol_type=\"floe\"}";
        double r0 = scrape().getOrDefault(rebalances, 0.0);
        for (String name : new String[] {"c1", "c2"}) {
            Response c = given().contentType("application/vnd.kafka.v2+json").body("{\"name\":\"" + name + "\",\"format\":\"json\"}")
                    .post("/consumers/metrics-group");
            assertThat(c.statusCode()).as(c.asString()).isEqualTo(200);
        }
        assertThat(scrape().get(rebalances)).isEqualTo(r0 + 2);
        assertThat(given().delete("/consumers/metrics-group/instances/c2").statusCode()).isEqualTo(204);
        assertThat(scrape().get(rebalances)).isEqualTo(r0 + 3);
        assertThat(given().delete("/consumers/metrics-group/instances/c1").statusCode()).isEqualTo(204);
        assertThat(scrape().get(rebalances)).as("a group that only emptied").isEqualTo(r0 + 3);
    }

    private static void fetchTwoRecords(String topic) {
        Response fetched = given().accept("application/vnd.kafka.json.v2+json").get("/topics/" + topic + "/partitions/0/records?offset=0");
        assertThat(fetched.statusCode()).as(fetched.asString()).isEqualTo(200);
        assertThat(fetched.jsonPath().getList("$")).hasSize(2);
    }

    private static Map<String, Double> scrape() {
        String text = given().get("/q/metrics").asString();
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher match = SAMPLE.matcher(line);
            if (!line.startsWith("#") && match.matches()) {
                out.put(match.group(1), Double.parseDouble(match.group(2)));
            }
        }
        return out;
    }
}
