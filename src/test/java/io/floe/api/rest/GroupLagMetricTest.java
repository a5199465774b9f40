package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.JSON_V2;
import static io.floe.api.rest.RestSupport.createTopic;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Consumer-group lag is exported at /q/metrics (Prometheus format). */
@QuarkusTest
class GroupLagMetricTest {

    @Test
    void aGroupsLagPerPartitionAndInTotalIsAMetric() throws Exception {
        createTopic("lagged", 1, Map.of());
        RestSupport.produce("lagged", JSON_V2, "{\"records\":[{\"value\":1},{\"value\":2},{\"value\":3},{\"value\":4},{\"value\":5}]}")
                .then().statusCode(200);
        given().contentType(RestMediaTypes.V2)
                .body("{\"name\":\"m\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\",\"auto.commit.enable\":\"false\"}")
                .post("/consumers/lag-metric-group").then().statusCode(200);
        given().contentType(RestMediaTypes.V2).body("{\"topics\":[\"lagged\"]}")
                .post("/consumers/lag-metric-group/instances/m/subscription").then().statusCode(204);
        given().contentType(RestMediaTypes.V2).body("{\"offsets\":[{\"topic\":\"lagged\",\"partition\":0,\"offset\":2}]}")
                .post("/consumers/lag-metric-group/instances/m/offsets").then().statusCode(200);

        String expected = "floe_group_lag{group=\"lag-metric-group\",partition=\"0\",topic=\"lagged\"} 3.0";
        String metrics = "";
        for (int i = 0; i < 100 && !metrics.contains(expected); i++) {
            Thread.sleep(100);
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        }
        assertThat(metrics).contains(expected);
        assertThat(metrics).contains("floe_group_lag_total{group=\"lag-metric-group\"} 3.0");
    }
}
