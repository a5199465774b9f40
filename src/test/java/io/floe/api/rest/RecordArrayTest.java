package io.floe.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fetch answer stays within the response limit, counted as Lambda carries it; the limits clamp, never refuse. */
class RecordArrayTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Json json = new Json(MAPPER);

    private static V2.Record record(long offset, String value) {
        return new V2.Record("t", null, TextNode.valueOf(value), 0, offset, 0, List.of());
    }

    /** The answer as Lambda's response envelope carries it: a JSON string. */
    private static int carried(byte[] body) throws Exception {
        return MAPPER.writeValueAsBytes(new String(body, StandardCharsets.UTF_8)).length - 2;
    }

    @Test
    void recordsThatWouldPassTheLimitAreLeftForTheNextFetch() throws Exception {
        String quotes = "\"".repeat(1000); // each doubles in the body, and doubles again in the envelope
        RecordArray out = new RecordArray(json, 10_000);
        int added = 0;
        for (long o = 0; o < 10 && out.add(record(o, quotes)); o++) {
            added++;
        }
        assertThat(added).isBetween(1, 3);
        assertThat(out.limited()).isTrue();
        assertThat(out.add(record(99, "x"))).as("nothing after the first record left out").isFalse();
        byte[] body = out.bytes();
        assertThat(carried(body)).isLessThanOrEqualTo(10_000);
        JsonNode parsed = MAPPER.readTree(body);
        assertThat(parsed).hasSize(added);
        assertThat(parsed.get(added - 1).get("offset").asLong()).isEqualTo(added - 1);
        assertThat(RecordArray.escapedSize(body)).isEqualTo(carried(body));
    }

    @Test
    void withoutALimitTheAnswerIsTheListOfRecords() throws Exception {
        RecordArray out = new RecordArray(json, 0);
        List<V2.Record> records = List.of(record(0, "a"), record(1, "b\"c"), record(2, ""));
        records.forEach(r -> assertThat(out.add(r)).isTrue());
        assertThat(out.limited()).isFalse();
        assertThat(out.bytes()).isEqualTo(json.bytes(records));
        out.removeIf(r -> r.offset() == 1);
        assertThat(MAPPER.readTree(out.bytes())).extracting(n -> n.get("offset").asLong()).containsExactly(0L, 2L);
        assertThat(new RecordArray(json, 0).bytes()).isEqualTo("[]".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFirstRecordLargerThanTheLimitIsRecordTooLarge() {
        RecordArray out = new RecordArray(json, 100);
        assertThatThrownBy(() -> out.add(record(5, "x".repeat(200))))
                .isInstanceOfSatisfying(FloeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECORD_TOO_LARGE);
                    assertThat(e.getMessage()).contains("offset 5").contains("floe.rest.max-response-bytes");
                });
    }

    @Test
    void limitsLowerWhatIsAskedAndSaySo() {
        RestLimits lambda = new RestLimits(Duration.ofSeconds(20), 4 << 20, 6_000_000);
        RestLimits.Fetch f = lambda.fetch(60_000, 64 << 20);
        assertThat(f.waitMs()).isEqualTo(20_000);
        assertThat(f.maxBytes()).isEqualTo(4 << 20);
        assertThat(f.waitClamped()).isTrue();
        assertThat(f.bytesClamped()).isTrue();
        RestLimits.Fetch within = lambda.fetch(1000, 1 << 20);
        assertThat(within.waitClamped() || within.bytesClamped()).isFalse();
        assertThat(RestLimits.none().fetch(60_000, 64 << 20).waitClamped()).isFalse();
        assertThatThrownBy(() -> new RestLimits(Duration.ofSeconds(61), 1, 0)).hasMessageContaining("floe.rest.max-wait");
    }
}
