package io.floe.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.floe.testkit.RadosGwProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The REST front door with authentication on, on radosgw: 401 with the REST error body without
 * credentials or with a wrong password (curl too), users and ACLs managed over REST v3, 403 for alice
 * on a topic she may not read, listings showing only what she may describe, and every endpoint of
 * every resource class present in {@link RestAuthorization}.
 */
@QuarkusTest
@TestProfile(SecuredRestTest.Secured.class)
class SecuredRestTest {

    static final String ADMIN_PASSWORD = "rest-admin-Secret";

    /** radosgw plus authentication. */
    public static class Secured extends RadosGwProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("floe.auth.enabled", "true");
            m.put("floe.auth.admin-password", ADMIN_PASSWORD);
            return m;
        }
    }

    @TestHTTPResource("/")
    URL root;

    private static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password);
    }

    private static String clusterId() {
        return as("admin", ADMIN_PASSWORD).get("/v3/clusters").then().statusCode(200).extract().path("data[0].cluster_id");
    }

    @Test
    void withoutCredentialsOrWithAWrongPasswordTheAnswerIs401WithTheErrorBody() throws Exception {
        Response none = given().get("/v3/clusters");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(RestSupport.tree(none).get("error_code").asInt()).isEqualTo(40101);
        Response wrong = as("admin", "not-it").get("/topics");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.asString()).doesNotContain("not-it");
        Response unknown = as("nobody", "x").get("/topics");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.asString()).isEqualTo(wrong.asString());

        String base = root.toString().replaceAll("/$", "");
        String curlNone = curl(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/topics"));
        assertThat(curlNone).isEqualTo("401");
        String curlAdmin = curl(List.of("curl", "-s", "-u", "admin:" + ADMIN_PASSWORD, base + "/v3/clusters"));
        assertThat(curlAdmin).contains("KafkaClusterList");
    }

    @Test
    void eachFailedAuthenticationIsCountedInTheAuthFailuresMetric() {
        double before = authFailures();
        assertThat(as("admin", "wrong-once").get("/topics").statusCode()).isEqualTo(401);
        assertThat(as("nobody", "wrong-twice").get("/topics").statusCode()).isEqualTo(401);
        assertThat(as("admin", ADMIN_PASSWORD).get("/topics").statusCode()).isEqualTo(200);
        assertThat(authFailures()).isEqualTo(before + 2);
    }

    private static double authFailures() {
        Response metrics = given().get("/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^floe_auth_failures_total (\\S+)$").matcher(metrics.asString());
        assertThat(m.find()).as("floe_auth_failures_total at /q/metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aliceGets403UntilAnAclGrantsHerTheTopic() throws Exception {
        String id = clusterId();
        String v3 = "/v3/clusters/" + id;
        for (String t : List.of("rest-orders", "rest-secret")) {
            as("admin", ADMIN_PASSWORD).contentType("application/json").body("{\"topic_name\":\"" + t + "\",\"partitions_count\":1}")
                    .post(v3 + "/topics").then().statusCode(201);
        }
        as("admin", ADMIN_PASSWORD).contentType("application/json").body("{\"password\":\"alice-rest-pw\"}")
                .put(v3 + "/users/alice/scram-credentials/SCRAM-SHA-256").then().statusCode(204);
        JsonNode users = RestSupport.tree(as("admin", ADMIN_PASSWORD).get(v3 + "/users").then().statusCode(200).extract().response());
        assertThat(users.toString()).contains("alice").contains("SCRAM-SHA-256").doesNotContain("alice-rest-pw");

        Response denied = as("alice", "alice-rest-pw").get("/topics/rest-orders/partitions/0/records?offset=0");
        assertThat(denied.statusCode()).as(denied.asString()).isEqualTo(403);
        assertThat(RestSupport.tree(denied).get("error_code").asInt()).isEqualTo(40301);
        as("alice", "alice-rest-pw").contentType("application/vnd.kafka.json.v2+json")
                .body("{\"records\":[{\"value\":{\"n\":1}}]}").post("/topics/rest-orders").then().statusCode(403);
        assertThat(as("alice", "alice-rest-pw").get("/topics").then().statusCode(200).extract().asString())
                .doesNotContain("rest-orders");

        for (String op : List.of("READ", "WRITE")) {
            as("admin", ADMIN_PASSWORD).contentType("application/json").body("{\"resource_type\":\"TOPIC\",\"resource_name\":\"rest-orders\","
                    + "\"pattern_type\":\"LITERAL\",\"principal\":\"User:alice\",\"host\":\"*\",\"operation\":\"" + op
                    + "\",\"permission\":\"ALLOW\"}").post(v3 + "/acls").then().statusCode(201);
        }
        JsonNode acls = RestSupport.tree(as("admin", ADMIN_PASSWORD).get(v3 + "/acls?principal=User:alice")
                .then().statusCode(200).extract().response());
        assertThat(acls.get("data")).hasSize(2);

        as("alice", "alice-rest-pw").contentType("application/vnd.kafka.json.v2+json")
                .body("{\"records\":[{\"value\":{\"n\":1}}]}").post("/topics/rest-orders").then().statusCode(200);
        String records = as("alice", "alice-rest-pw").accept("application/vnd.kafka.json.v2+json")
                .get("/topics/rest-orders/partitions/0/records?offset=0").then().statusCode(200).extract().asString();
        assertThat(records).contains("\"n\":1");
        assertThat(as("alice", "alice-rest-pw").get("/topics").then().statusCode(200).extract().asString())
                .contains("rest-orders").doesNotContain("rest-secret");
        as("alice", "alice-rest-pw").get("/topics/rest-secret/partitions/0/records?offset=0").then().statusCode(403);
        // alice may not manage ACLs or users.
        as("alice", "alice-rest-pw").get(v3 + "/acls").then().statusCode(403);

        JsonNode deleted = RestSupport.tree(as("admin", ADMIN_PASSWORD).delete(v3 + "/acls?resource_type=TOPIC&principal=User:alice")
                .then().statusCode(200).extract().response());
        assertThat(deleted.get("data")).hasSize(2);
        as("alice", "alice-rest-pw").get("/topics/rest-orders/partitions/0/records?offset=0").then().statusCode(403);
    }

    @Test
    void everyRestEndpointHasAnAuthorizationRule() {
        List<String> missing = new ArrayList<>();
        for (Class<?> c : List.of(V2Resource.class, V3Resource.class, ConsumerGroupResource.class, ConsumerResource.class,
                SecurityResource.class)) {
            for (Method m : c.getDeclaredMethods()) {
                boolean endpoint = m.isAnnotationPresent(jakarta.ws.rs.GET.class) || m.isAnnotationPresent(jakarta.ws.rs.POST.class)
                        || m.isAnnotationPresent(jakarta.ws.rs.PUT.class) || m.isAnnotationPresent(jakarta.ws.rs.DELETE.class)
                        || m.isAnnotationPresent(jakarta.ws.rs.PATCH.class);
                if (endpoint && !RestAuthorization.RULES.containsKey(c.getSimpleName() + "." + m.getName())) {
                    missing.add(c.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    private static String curl(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.trim();
    }
}
