package io.floe.api.rest;

import static io.floe.api.rest.RestSupport.assertError;
import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Bad subscription requests get a 400 that says what is wrong, never a 500. */
@QuarkusTest
class ConsumerSubscriptionErrorsTest {

    @Test
    void anInvalidTopicPatternIsABadRequest() {
        given().contentType(RestMediaTypes.V2)
                .body("{\"name\":\"p\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\"}")
                .post("/consumers/pattern-errors").then().statusCode(200);
        assertError(given().contentType(RestMediaTypes.V2).body("{\"topic_pattern\":\"orders-(\"}")
                .post("/consumers/pattern-errors/instances/p/subscription").then().extract().response(), 400, 40001);
        assertError(given().contentType(RestMediaTypes.V2).body("{}")
                .post("/consumers/pattern-errors/instances/p/subscription").then().extract().response(), 400, 40001);
    }
}
