package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.log.LogEngine;
import io.floe.model.Message;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A queue worker over HTTP: take records from a share group, accept, release and reject them. */
@QuarkusTest
class ShareGroupRestTest {

    @Inject
    LogEngine engine;

    private JsonPath take(String group, String member, int max) {
        return given().contentType("application/json")
                .body("{\"member\":\"" + member + "\",\"topics\":[\"rest-queue\"],\"max_records\":" + max + ",\"timeout_ms\":2000,"
                        + "\"format\":\"json\"}")
                .post("/share-groups/" + group + "/records").then().statusCode(200).extract().jsonPath();
    }

    private JsonPath ack(String group, String member, long offset, String type) {
        return given().contentType("application/json")
                .body("{\"member\":\"" + member + "\",\"records\":[{\"topic\":\"rest-queue\",\"partition\":0,\"offset\":" + offset
                        + ",\"type\":\"" + type + "\"}]}")
                .post("/share-groups/" + group + "/acknowledgements").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aWorkerTakesAcceptsReleasesAndRejectsRecords() {
        engine.createTopic("rest-queue", 1, Map.of());
        assertThat(take("jobs", "w1", 10).getList("records")).isEmpty(); // joins; the group starts at the end of the log
        engine.produce("rest-queue", List.of(message("{\"job\":1}"), message("{\"job\":2}"), message("{\"job\":3}"))).join();

        JsonPath first = take("jobs", "w1", 10);
        assertThat(first.getString("member")).isEqualTo("w1");
        assertThat(first.getLong("lock_timeout_ms")).isEqualTo(30_000);
        assertThat(first.getList("records.value.job", Integer.class)).containsExactly(1, 2, 3);
        assertThat(first.getList("records.delivery_count", Integer.class)).containsExactly(1, 1, 1);
        List<Long> offsets = first.getList("records.offset", Long.class);

        assertThat(ack("jobs", "w1", offsets.get(0), "accept").getInt("results[0].error_code")).isZero();
        assertThat(ack("jobs", "w1", offsets.get(1), "release").getInt("results[0].error_code")).isZero();
        assertThat(ack("jobs", "w1", offsets.get(2), "reject").getInt("results[0].error_code")).isZero();

        // another worker gets the released record, delivered for the second time; nothing else comes back
        JsonPath again = take("jobs", "w2", 10);
        assertThat(again.getList("records.value.job", Integer.class)).containsExactly(2);
        assertThat(again.getList("records.delivery_count", Integer.class)).containsExactly(2);

        // acknowledging a record one does not hold is refused and changes nothing
        JsonPath refused = ack("jobs", "w1", offsets.get(1), "accept");
        assertThat(refused.getInt("results[0].error_code")).isEqualTo(40909);
        assertThat(refused.getString("results[0].message")).contains("held by another member");
        assertThat(ack("jobs", "w2", offsets.get(1), "accept").getInt("results[0].error_code")).isZero();

        JsonPath group = given().get("/share-groups/jobs").then().statusCode(200).extract().jsonPath();
        assertThat(group.getList("members.member_id")).containsExactlyInAnyOrder("w1", "w2");
        assertThat(group.getLong("start_offsets[0].start_offset")).isEqualTo(offsets.get(2) + 1);

        given().delete("/share-groups/jobs/members/w1").then().statusCode(204);
        assertError(given().delete("/share-groups/jobs/members/w1").then().extract().response(), 404, 40403);
    }

    @Test
    void badTakesAndAcknowledgementsAreBadRequests() {
        assertError(given().contentType("application/json").body("{}").post("/share-groups/bad/records").then().extract().response(),
                400, 40001);
        assertError(given().contentType("application/json")
                .body("{\"member\":\"w\",\"records\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"type\":\"maybe\"}]}")
                .post("/share-groups/bad/acknowledgements").then().extract().response(), 400, 40001);
        assertError(given().get("/share-groups/never-made").then().extract().response(), 404, 40404);
    }

    private static Message message(String json) {
        return new Message(0, null, json.getBytes(StandardCharsets.UTF_8), List.of(), null);
    }
}
