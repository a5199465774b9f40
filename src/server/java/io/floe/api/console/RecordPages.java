package io.floe.api.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.floe.log.FetchResult;
import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.log.RecordPosition;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.Header;
import io.floe.model.Message;
import io.floe.model.Topic;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * A topic's records in the console: browse one partition from an offset or a timestamp, keep the
 * records whose key matches, show values as pretty JSON when they are JSON, with their headers; and
 * produce a test record. Reads with the engine's fetch (no wait) as REST v2 does. Worker threads.
 */
@Path("/ui/topics/{topic}/records")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class RecordPages {

    /** Records shown at most on one page. */
    static final int MAX_LIMIT = 500;
    /** Bytes read per fetch, and fetches at most per page (a key filter may skip many records). */
    static final int FETCH_BYTES = 1 << 20;
    static final int MAX_FETCHES = 16;

    /** A record as the page shows it. */
    public record RecordRow(long offset, String time, String key, String value, boolean json, List<HeaderRow> headers) {
    }

    public record HeaderRow(String key, String value) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final LogEngine engine;
    private final Template records;
    private final TopicPages topics;

    RecordPages(LogEngine engine, @Location("console/records.html") Template records, TopicPages topics) {
        this.engine = engine;
        this.records = records;
        this.topics = topics;
    }

    @GET
    public Response browse(@PathParam("topic") String name, @QueryParam("partition") String partition,
                           @QueryParam("offset") String offset, @QueryParam("timestamp") String timestamp,
                           @QueryParam("key") String key, @QueryParam("limit") String limit,
                           @QueryParam("produced") String produced) {
        Topic t;
        try {
            t = engine.topic(name);
        } catch (FloeException e) {
            if (Pages.isGone(e)) {
                return topics.goneTopic(name);
            }
            throw e;
        }
        var page = records.data("page", "topics").data("topic", t).data("partitionParam", partition == null ? "0" : partition)
                .data("offsetParam", offset == null ? "" : offset).data("timestampParam", timestamp == null ? "" : timestamp)
                .data("keyParam", key == null ? "" : key).data("limitParam", limit == null ? "50" : limit)
                .data("produced", produced).data("produceError", null).data("partitionNumber", partitionNumber(partition));
        try {
            int p = Forms.blank(partition) ? 0 : Forms.integer("partition", partition);
            t.checkPartition(p);
            int max = Forms.blank(limit) ? 50 : Math.min(MAX_LIMIT, Math.max(1, Forms.integer("limit", limit)));
            PartitionOffsets range = engine.offsets(name, p);
            long from;
            if (!Forms.blank(offset)) {
                from = Forms.longValue("offset", offset);
            } else if (!Forms.blank(timestamp)) {
                long at = engine.offsetForTimestamp(name, p, Forms.timestamp("timestamp", timestamp));
                from = at < 0 ? range.endOffset() : at;
            } else {
                from = Math.max(range.logStartOffset(), range.endOffset() - max);
            }
            List<RecordRow> rows = read(name, p, from, max, Forms.blank(key) ? null : key);
            return Pages.ok(page.data("rows", rows).data("error", null).data("from", from).data("range", range));
        } catch (FloeException e) {
            if (Pages.isGone(e)) {
                return topics.goneTopic(name);
            }
            return Pages.html(Pages.status(e), page.data("rows", List.of()).data("error", e.getMessage())
                    .data("from", null).data("range", null));
        }
    }

    private List<RecordRow> read(String topic, int partition, long from, int max, String key) {
        byte[] wanted = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        List<RecordRow> out = new ArrayList<>();
        long next = from;
        for (int i = 0; i < MAX_FETCHES && out.size() < max; i++) {
            FetchResult r = join(engine.fetch(topic, partition, next, FETCH_BYTES, Duration.ZERO));
            List<FetchedRecord> got = r.records();
            if (got.isEmpty()) {
                break;
            }
            for (FetchedRecord rec : got) {
                if (out.size() < max && (wanted == null || Arrays.equals(wanted, rec.key()))) {
                    out.add(row(rec));
                }
            }
            next = Math.max(r.nextOffset(), got.get(got.size() - 1).offset() + 1);
            if (next >= r.highWatermark()) {
                break;
            }
        }
        return out;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response produce(@PathParam("topic") String name, @FormParam("partition") String partition,
                            @FormParam("key") String key, @FormParam("value") String value,
                            @FormParam("headers") String headers) {
        try {
            Integer p = Forms.blank(partition) ? null : Forms.integer("partition", partition);
            List<Header> hs = new ArrayList<>();
            for (Map.Entry<String, String> h : Forms.pairs("headers", headers).entrySet()) {
                hs.add(new Header(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8)));
            }
            Message m = new Message(p, Forms.blank(key) ? null : key.getBytes(StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8), hs, null);
            RecordPosition at = join(engine.produce(name, List.of(m))).get(0);
            return Pages.seeOther("/ui/topics/" + Urls.url(name) + "/records?partition=" + at.partition()
                    + "&offset=" + at.offset() + "&produced=" + at.partition() + "/" + at.offset());
        } catch (FloeException e) {
            if (Pages.isGone(e)) {
                return topics.goneTopic(name);
            }
            Topic t = engine.topic(name);
            return Pages.html(Pages.status(e), records.data("page", "topics").data("topic", t)
                    .data("partitionParam", partition == null ? "0" : partition).data("offsetParam", "")
                    .data("timestampParam", "").data("keyParam", "").data("limitParam", "50").data("produced", null)
                    .data("rows", List.of()).data("error", null).data("from", null).data("range", null)
                    .data("produceError", e.getMessage()).data("produceKey", key).data("produceValue", value)
                    .data("partitionNumber", partitionNumber(partition)));
        }
    }

    private static int partitionNumber(String partition) {
        try {
            return partition == null ? 0 : Integer.parseInt(partition.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof FloeException fe) {
                throw fe;
            }
            throw e;
        }
    }

    static RecordRow row(FetchedRecord r) {
        String value = text(r.value());
        boolean json = false;
        if (value != null && !value.isBlank()) {
            try {
                value = JSON.writeValueAsString(JSON.readTree(value));
                json = true;
            } catch (java.io.IOException notJson) {
                // shown as it is
            }
        }
        List<HeaderRow> headers = r.headers().stream().map(h -> new HeaderRow(h.key(), text(h.value()))).toList();
        return new RecordRow(r.offset(), Instant.ofEpochMilli(r.timestamp()).toString(), text(r.key()), value, json, headers);
    }

    /** UTF-8 text, or {@code base64:…} for bytes that are not UTF-8, or null. */
    static String text(byte[] b) {
        if (b == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(b);
        }
    }
}
