package io.floe.runtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * With tracing switched on ({@code quarkus.otel.sdk.disabled=false}), a REST produce and fetch emit
 * the engine's spans — {@code floe.produce} and {@code floe.fetch} inside their HTTP request's trace,
 * {@code floe.flush} with a {@code floe.commit} child per topic — exported to an in-memory exporter.
 */
@QuarkusTest
@TestProfile(TracingTest.Enabled.class)
class TracingTest {

    /** Tracing on, exported only to {@link CollectingSpanExporter}, quickly. */
    public static class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @Inject
    CollectingSpanExporter exporter;

    @Test
    void produceFlushCommitAndFetchAreSpansWhenTracingIsOn() throws Exception {
        String topic = "traced-orders";
        String cluster = given().get("/v3/clusters").jsonPath().getString("data[0].cluster_id");
        Response created = given().contentType("application/json").body("{\"topic_name\":\"" + topic + "\",\"partitions_count\":1}")
                .post("/v3/clusters/" + cluster + "/topics");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        Response produced = given().contentType("application/vnd.kafka.json.v2+json")
                .body("{\"records\":[{\"value\":{\"n\":1}},{\"value\":{\"n\":2}}]}").post("/topics/" + topic);
        assertThat(produced.statusCode()).as(produced.asString()).isEqualTo(200);
        Response fetched = given().accept("application/vnd.kafka.json.v2+json").get("/topics/" + topic + "/partitions/0/records?offset=0");
        assertThat(fetched.statusCode()).as(fetched.asString()).isEqualTo(200);

        SpanData produce = await("floe.produce", topic);
        SpanData fetch = await("floe.fetch", topic);
        SpanData commit = await("floe.commit", topic);
        assertThat(produce.getAttributes().asMap()).containsValue(2L);
        // produce and fetch run inside their HTTP request's trace: their parents are its server spans.
        assertThat(produce.getParentSpanContext().isValid()).isTrue();
        assertThat(fetch.getParentSpanContext().isValid()).isTrue();
        assertThat(spanById(produce.getParentSpanId())).hasValueSatisfying(p -> assertThat(p.getName()).contains("topics"));
        // A commit is the child of its flush.
        SpanData flush = spanById(commit.getParentSpanId()).orElseThrow();
        assertThat(flush.getName()).isEqualTo("floe.flush");
        assertThat(flush.getTraceId()).isEqualTo(commit.getTraceId());
    }

    private SpanData await(String name, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SpanData> s = exporter.spans().stream().filter(d -> d.getName().equals(name))
                    .filter(d -> topic.equals(d.getAttributes().get(LogTracing.TOPIC))).findFirst();
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(50);
        }
        List<String> seen = exporter.spans().stream().map(SpanData::getName).toList();
        throw new AssertionError("no span " + name + " for " + topic + " among " + seen);
    }

    private Optional<SpanData> spanById(String id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Optional<SpanData> s = exporter.spans().stream().filter(d -> d.getSpanId().equals(id)).findFirst();
            if (s.isPresent()) {
                return s;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }
}
