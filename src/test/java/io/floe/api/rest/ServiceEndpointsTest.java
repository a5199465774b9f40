package io.floe.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health and the OpenAPI document. */
@QuarkusTest
class ServiceEndpointsTest {

    @Test
    void readyWhenTheStoreAnswers() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'object-store' }.status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void openApiDocumentListsTheEndpointsUnderFloesTitle() {
        // The title is set by the server build's own configuration (src/server/resources), not application.properties.
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", is("Floe"))
                .body(containsString("/topics/{topic}/partitions/{partition}/records"))
                .body(containsString("/v3/clusters/{cluster}/topics"));
    }
}
