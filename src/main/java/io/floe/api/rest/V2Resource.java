package io.floe.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.floe.log.FetchResult;
import io.floe.log.IsolationLevel;
import io.floe.log.LogEngine;
import io.floe.model.FetchedRecord;
import io.floe.model.Message;
import io.floe.model.Topic;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The REST Proxy v2 style API: produce, topic and partition metadata, and a fetch in the style of
 * Redpanda's HTTP proxy. Methods run on worker threads (the engine's admin calls read the bucket);
 * produce and fetch hand back the engine's future, so a waiting request holds no thread.
 */
@Path("/topics")
@Tag(name = "Records and topics (REST Proxy v2)")
public class V2Resource {

    /** Default {@code max_bytes} of a fetch (the largest is {@link RestLimits#API_MAX_FETCH_BYTES}). */
    static final int DEFAULT_MAX_BYTES = 1 << 20;

    private final LogEngine engine;
    private final Json json;
    private final RestLimits limits;

    private final RestSecurity security;

    V2Resource(LogEngine engine, Json json, RestLimits limits, RestSecurity security) {
        this.security = security;
        this.engine = engine;
        this.json = json;
        this.limits = limits;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, RestMediaTypes.V2})
    @Operation(summary = "Names of all topics")
    public List<String> topics() {
        return engine.listTopics().stream().map(Topic::name)
                .filter(n -> security.mayDescribe(org.apache.kafka.common.resource.ResourceType.TOPIC, n)).toList();
    }

    @GET
    @Path("{topic}")
    @Produces({MediaType.APPLICATION_JSON, RestMediaTypes.V2})
    @Operation(summary = "A topic: effective configs and partitions")
    public V2.TopicView topic(@PathParam("topic") String name) {
        Topic t = engine.topic(name);
        List<V2.PartitionView> partitions = new ArrayList<>(t.partitions());
        for (int p = 0; p < t.partitions(); p++) {
            partitions.add(V2.PartitionView.of(p));
        }
        return new V2.TopicView(t.name(), t.config().effective(), partitions);
    }

    @POST
    @Path("{topic}")
    @Blocking
    @Consumes({RestMediaTypes.JSON_V2, RestMediaTypes.BINARY_V2, MediaType.APPLICATION_JSON})
    @Produces({MediaType.APPLICATION_JSON, RestMediaTypes.V2})
    @Operation(summary = "Produce records; answers once they are durable in the bucket")
    public CompletionStage<V2.ProduceResponse> produce(@PathParam("topic") String topic,
                                                       @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                                       byte[] body) throws JsonProcessingException {
        EmbeddedFormat format = EmbeddedFormat.ofContentType(contentType);
        List<Message> messages = ProduceRequests.parse(json.readBody(body, contentType), format, json);
        return engine.produce(topic, messages).thenApply(V2.ProduceResponse::of);
    }

    @GET
    @Path("{topic}/partitions")
    @Produces({MediaType.APPLICATION_JSON, RestMediaTypes.V2})
    @Operation(summary = "Partitions of a topic with their log start and end offsets")
    public List<V2.PartitionView> partitions(@PathParam("topic") String topic) {
        return engine.offsets(topic).stream().map(V2.PartitionView::of).toList();
    }

    @GET
    @Path("{topic}/partitions/{partition}")
    @Produces({MediaType.APPLICATION_JSON, RestMediaTypes.V2})
    @Operation(summary = "One partition with its log start and end offsets")
    public V2.PartitionView partition(@PathParam("topic") String topic, @PathParam("partition") String partition) {
        return V2.PartitionView.of(engine.offsets(topic, Params.partition(partition)));
    }

    @GET
    @Path("{topic}/partitions/{partition}/offsets")
    @Produces({MediaType.APPLICATION_JSON, RestMediaTypes.V2})
    @Operation(summary = "Beginning (log start) and end offsets of a partition")
    public V2.Offsets offsets(@PathParam("topic") String topic, @PathParam("partition") String partition) {
        var o = engine.offsets(topic, Params.partition(partition));
        return new V2.Offsets(o.logStartOffset(), o.endOffset());
    }

    @GET
    @Path("{topic}/partitions/{partition}/records")
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, RestMediaTypes.JSON_V2, RestMediaTypes.BINARY_V2})
    @Operation(summary = "Records from an offset (long poll up to 'timeout' ms when at the end of the log)")
    public CompletionStage<Response> records(@PathParam("topic") String topic,
                                             @PathParam("partition") String partition,
                                             @QueryParam("offset") String offset,
                                             @QueryParam("max_bytes") String maxBytes,
                                             @QueryParam("timeout") String timeout,
                                             @QueryParam("isolation.level") String isolationLevel,
                                             @Context HttpHeaders headers) {
        int p = Params.partition(partition);
        long from = Params.longParam("offset", offset, null, 0, Long.MAX_VALUE);
        RestLimits.Fetch asked = limits.fetch(Params.longParam("timeout", timeout, 0L, 0, RestLimits.API_MAX_WAIT.toMillis()),
                Params.intParam("max_bytes", maxBytes, DEFAULT_MAX_BYTES, 1, RestLimits.API_MAX_FETCH_BYTES));
        List<MediaType> accept = headers.getAcceptableMediaTypes();
        EmbeddedFormat format = EmbeddedFormat.ofAccept(accept);
        // Answer in the type asked for: the vendor type when named, else plain JSON.
        MediaType type = format == EmbeddedFormat.JSON && !accept.contains(format.mediaType())
                ? MediaType.APPLICATION_JSON_TYPE : format.mediaType();
        IsolationLevel isolation = IsolationLevel.parse(isolationLevel);
        return engine.fetch(topic, p, from, asked.maxBytes(), asked.maxWait(), isolation).thenApply(result -> {
            RecordArray records = records(result, from, format);
            return records.describe(asked.describe(Response.ok(records.bytes(), type))).build();
        });
    }

    private RecordArray records(FetchResult result, long from, EmbeddedFormat format) {
        RecordArray out = new RecordArray(json, limits.maxResponseBytes());
        for (FetchedRecord r : result.records()) {
            if (r.offset() < from) {
                continue;
            }
            if (!out.add(V2.Record.of(result.topic(), r, format, json))) {
                break;
            }
        }
        return out;
    }
}
