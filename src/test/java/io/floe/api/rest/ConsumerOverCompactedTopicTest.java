package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.JSON_V2;
import static io.floe.api.rest.RestSupport.createTopic;
import static io.floe.api.rest.RestSupport.tree;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.janitor.Janitor;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A REST consumer reads through a compacted topic whose older batches lost all their records:
 * it must step past the empty batches, not ask for the same offset forever.
 */
@QuarkusTest
class ConsumerOverCompactedTopicTest {

    @Inject
    Janitor janitor;

    @Test
    void aConsumerStepsOverBatchesThatCompactionEmptied() {
        createTopic("compacted-reads", 1, Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
        String big = "x".repeat(30_000);
        for (int call = 0; call < 5; call++) { // five entries of one key, 8 records each: over 1 MiB dirty
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < 8; i++) {
                body.append(i == 0 ? "" : ",").append("{\"key\":\"k\",\"value\":\"").append(call * 8 + i).append(big).append("\"}");
            }
            RestSupport.produce("compacted-reads", JSON_V2, body.append("]}").toString()).then().statusCode(200);
        }
        RestSupport.produce("compacted-reads", JSON_V2, "{\"records\":[{\"key\":\"last\",\"value\":\"end\"}]}")
                .then().statusCode(200);
        Janitor.Report report = janitor.runOnce();
        assertThat(report.compacted()).as("compaction ran: %s", report).isPositive();

        given().contentType(RestMediaTypes.V2)
                .body("{\"name\":\"r\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\",\"auto.commit.enable\":\"false\"}")
                .post("/consumers/compacted-reader").then().statusCode(200);
        given().contentType(RestMediaTypes.V2).body("{\"topics\":[\"compacted-reads\"]}")
                .post("/consumers/compacted-reader/instances/r/subscription").then().statusCode(204);
        List<Long> offsets = new ArrayList<>();
        for (int call = 0; call < 30 && offsets.size() < 2; call++) {
            JsonNode records = tree(given().accept(JSON_V2)
                    .get("/consumers/compacted-reader/instances/r/records?timeout=0&max_bytes=100")
                    .then().statusCode(200).extract().response());
            records.forEach(r -> offsets.add(r.path("offset").asLong()));
        }
        assertThat(offsets).as("the surviving record of key k and the last record").containsExactly(39L, 40L);
    }
}
