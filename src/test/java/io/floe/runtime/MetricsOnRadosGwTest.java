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
