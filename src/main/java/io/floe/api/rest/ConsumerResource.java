package io.floe.api.rest;

import io.floe.group.GroupCoordinator;
import io.floe.group.ManagedMember;
import io.floe.group.ManagedMemberSpec;
import io.floe.group.OffsetCommit;
import io.floe.group.CommittedOffset;
import io.floe.group.OffsetReset;
import io.floe.log.FetchRequest;
import io.floe.log.FetchResponse;
import io.floe.log.FetchResult;
import io.floe.log.IsolationLevel;
import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.ErrorCode;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The REST Proxy v2 consumer API. A consumer instance is a Floe-managed member of its group; all
 * its state (format, reset policy, subscription, assignment, positions) is in the group object, so
 * any Floe instance can serve its next call. Every call counts as a heartbeat. Blocking methods run
 * on worker threads.
 */
@Path("/consumers/{group}")
@Tag(name = "Consumers (REST Proxy v2)")
public class ConsumerResource {

    /** Default long-poll wait of a records call (the REST Proxy's consumer.request.timeout.ms). */
    static final long DEFAULT_TIMEOUT_MS = 1000;
    static final String FORMAT = "format";
    /** The member property holding the instance's isolation.level (read_uncommitted unless asked). */
    static final String ISOLATION = "isolation";

    private final GroupCoordinator groups;
    private final LogEngine engine;
    private final Json json;
    private final RestLimits limits;

    private final RestSecurity security;

    ConsumerResource(GroupCoordinator groups, LogEngine engine, Json json, RestLimits limits, RestSecurity security) {
        this.security = security;
        this.groups = groups;
        this.engine = engine;
        this.json = json;
        this.limits = limits;
    }

    @POST
    @Blocking
    @Consumes({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    @Produces({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    @Operation(summary = "Create a consumer instance in a group")
    public Consumers.Instance create(@PathParam("group") String group, Consumers.CreateInstance body, @Context UriInfo uri) {
        Consumers.CreateInstance b = body == null ? new Consumers.CreateInstance(null, null, null, null, null, null, null, null, null) : body;
        String name = b.name() == null || b.name().isBlank() ? "rest-consumer-" + UUID.randomUUID() : b.name();
        if (!name.matches("[A-Za-z0-9._-]{1,200}")) {
            throw RestException.badRequest("Consumer instance name '" + name + "': expected 1 to 200 of A-Z a-z 0-9 . _ -.");
        }
        String format = b.format() == null ? "binary" : b.format().toLowerCase(Locale.ROOT);
        if (!format.equals("binary") && !format.equals("json")) {
            throw new FloeException(ErrorCode.INVALID_REQUEST, "format = '" + b.format() + "': expected binary or json.");
        }
        IsolationLevel isolation = IsolationLevel.parse(b.isolationLevel());
        boolean autoCommit = b.autoCommitEnable() == null || Boolean.parseBoolean(b.autoCommitEnable().trim());
        Duration session = b.sessionTimeoutMs() == null ? null
                : Duration.ofMillis(Params.longParam("session.timeout.ms", b.sessionTimeoutMs(), 0L, 1, Long.MAX_VALUE));
        groups.createMember(group, new ManagedMemberSpec(name, name, "", session,
                b.assignor() == null ? null : b.assignor().toLowerCase(Locale.ROOT),
                OffsetReset.parse(b.autoOffsetReset()), autoCommit, Map.of(FORMAT, format, ISOLATION, isolation.name())));
        return new Consumers.Instance(name, base(uri) + "consumers/" + group + "/instances/" + name);
    }

    @DELETE
    @Path("instances/{name}")
    @Blocking
    @Operation(summary = "Remove a consumer instance (its partitions go to the others)")
    public Response delete(@PathParam("group") String group, @PathParam("name") String name) {
        groups.removeMember(group, name);
        return Response.noContent().build();
    }

    @POST
    @Path("instances/{name}/subscription")
    @Blocking
    @Consumes({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    @Operation(summary = "Subscribe to topics")
    public Response subscribe(@PathParam("group") String group, @PathParam("name") String name, Consumers.Subscription body) {
        if (body == null || ((body.topics() == null || body.topics().isEmpty()) && body.topicPattern() == null)) {
            throw RestException.badRequest("Send {\"topics\":[\"…\"]} or {\"topic_pattern\":\"…\"}.");
        }
        List<String> topics;
        if (body.topics() != null && !body.topics().isEmpty()) {
            topics = body.topics();
        } else {
            java.util.regex.Pattern pattern;
            try {
                pattern = java.util.regex.Pattern.compile(body.topicPattern());
            } catch (java.util.regex.PatternSyntaxException e) {
                throw RestException.badRequest("topic_pattern '" + body.topicPattern()
                        + "' is not a valid regular expression: " + e.getDescription() + ".");
            }
            // A pattern subscribes to the matching topics the principal may read, as a Kafka consumer's would.
            topics = engine.listTopics().stream().map(t -> t.name()).filter(n -> pattern.matcher(n).matches())
                    .filter(n -> security.mayDescribe(org.apache.kafka.common.resource.ResourceType.TOPIC, n)).toList();
        }
        for (String t : topics) {
            security.require(org.apache.kafka.common.acl.AclOperation.READ, org.apache.kafka.common.resource.ResourceType.TOPIC, t);
        }
        groups.subscribe(group, name, topics);
        return Response.noContent().build();
    }

    @GET
    @Path("instances/{name}/subscription")
    @Blocking
    @Produces({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    public Consumers.Subscription subscription(@PathParam("group") String group, @PathParam("name") String name) {
        return new Consumers.Subscription(groups.member(group, name).subscription().stream().sorted().toList(), null);
    }

    @DELETE
    @Path("instances/{name}/subscription")
    @Blocking
    public Response unsubscribe(@PathParam("group") String group, @PathParam("name") String name) {
        groups.unsubscribe(group, name);
        return Response.noContent().build();
    }

    @GET
    @Path("instances/{name}/assignments")
    @Blocking
    @Produces({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    @Operation(summary = "The partitions assigned to this instance in the group's current generation")
    public Consumers.Partitions assignments(@PathParam("group") String group, @PathParam("name") String name) {
        return new Consumers.Partitions(groups.member(group, name).assignment().stream()
                .map(tp -> new Consumers.Partition(tp.topic(), tp.partition())).toList());
    }

    @GET
    @Path("instances/{name}/records")
    @Blocking
    @Produces({RestMediaTypes.JSON_V2, RestMediaTypes.BINARY_V2, MediaType.APPLICATION_JSON})
    @Operation(summary = "Records of the assigned partitions (long poll up to 'timeout' ms)")
    public Response records(@PathParam("group") String group, @PathParam("name") String name,
                            @QueryParam("timeout") String timeout, @QueryParam("max_bytes") String maxBytes) {
        RestLimits.Fetch asked = limits.fetch(
                Params.longParam("timeout", timeout, DEFAULT_TIMEOUT_MS, 0, RestLimits.API_MAX_WAIT.toMillis()),
                Params.intParam("max_bytes", maxBytes, V2Resource.DEFAULT_MAX_BYTES, 1, RestLimits.API_MAX_FETCH_BYTES));
        long waitMs = asked.waitMs();
        int max = asked.maxBytes();
        ManagedMember m = groups.member(group, name);
        EmbeddedFormat format = "json".equals(m.properties().get(FORMAT)) ? EmbeddedFormat.JSON : EmbeddedFormat.BINARY;
        Map<TopicPartition, Long> from = m.assignment().isEmpty() ? Map.of() : groups.fetchPositions(m);
        int share = Math.max(1, max / Math.max(1, from.size()));
        List<FetchRequest.Partition> wanted = new ArrayList<>();
        from.forEach((tp, offset) -> wanted.add(new FetchRequest.Partition(tp.topic(), tp.partition(), offset, share)));
        IsolationLevel isolation = IsolationLevel.valueOf(m.properties().getOrDefault(ISOLATION, IsolationLevel.READ_UNCOMMITTED.name()));
        FetchResponse fetched = engine.fetch(new FetchRequest(wanted, max, 1, Duration.ofMillis(waitMs), isolation)).join();
        RecordArray out = new RecordArray(json, limits.maxResponseBytes());
        Map<TopicPartition, Long> next = new HashMap<>();
        long bytes = 0;
        int kept = 0;
        for (FetchResponse.Partition p : fetched.partitions()) {
            if (p.failed()) {
                continue;
            }
            FetchResult r = p.result();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            long start = from.get(tp);
            boolean cut = false;
            for (FetchedRecord rec : r.records()) {
                if (rec.offset() < start) {
                    continue;
                }
                long size = (rec.key() == null ? 0 : rec.key().length) + (rec.value() == null ? 0 : rec.value().length);
                if (kept > 0 && bytes + size > max) {
                    cut = true;
                    break;
                }
                V2.Record record = V2.Record.of(tp.topic(), rec, format, json);
                if (!out.add(record)) {
                    cut = true; // the response limit: the rest waits for the next call
                    break;
                }
                bytes += size;
                kept++;
                next.put(tp, rec.offset() + 1);
            }
            if (!cut && r.nextOffset() > next.getOrDefault(tp, start)) {
                // Every batch returned was consumed: move past its end, which in a compacted topic
                // may lie beyond the last record (or a run of batches may hold none at all).
                next.put(tp, r.nextOffset());
            }
        }
        if (!next.isEmpty()) {
            // One write: new positions (and, with auto-commit, the same offsets committed). Partitions
            // that moved to another member meanwhile are dropped from the answer.
            ManagedMember after = groups.seek(group, name, -1, next, m.autoCommit());
            out.removeIf(r -> !next.get(new TopicPartition(r.topic(), r.partition()))
                    .equals(after.positions().get(new TopicPartition(r.topic(), r.partition()))));
        }
        return out.describe(asked.describe(Response.ok(out.bytes(), format.mediaType()))).build();
    }

    @POST
    @Path("instances/{name}/offsets")
    @Blocking
    @Consumes({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    @Operation(summary = "Commit offsets (all read positions when the body is empty)")
    public Response commit(@PathParam("group") String group, @PathParam("name") String name, Consumers.Offsets body) {
        ManagedMember m = groups.member(group, name);
        Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        if (body == null || body.offsets() == null || body.offsets().isEmpty()) {
            m.positions().forEach((tp, o) -> offsets.put(tp, CommittedOffset.of(o)));
        } else {
            for (Consumers.Offset o : body.offsets()) {
                if (o == null || o.topic() == null || o.partition() == null || o.offset() == null) {
                    throw RestException.badRequest("Each offset needs 'topic', 'partition' and 'offset'.");
                }
                offsets.put(new TopicPartition(o.topic(), o.partition()),
                        new CommittedOffset(o.offset(), -1, o.metadata(), -1));
            }
        }
        var refused = groups.commit(new OffsetCommit(group, name, null, -1, offsets, OffsetCommit.Durability.SYNC));
        if (!refused.isEmpty()) {
            var first = refused.entrySet().iterator().next();
            throw first.getValue() == ErrorCode.NOT_ASSIGNED
                    ? new FloeException(ErrorCode.NOT_ASSIGNED, "Partition " + first.getKey() + " is not assigned to consumer '"
                    + name + "' in the current generation of group '" + group + "'; the group rebalanced: read the "
                    + "new assignment (GET …/assignments), or rejoin, before committing.")
                    : new FloeException(first.getValue(), "Cannot commit partition " + first.getKey() + ": " + first.getValue() + ".");
        }
        return Response.ok().build();
    }

    @GET
    @Path("instances/{name}/offsets")
    @Blocking
    @Consumes({RestMediaTypes.V2, MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Produces({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    @Operation(summary = "Committed offsets of partitions (body: {\"partitions\":[…]}; none: the assigned ones)")
    public Consumers.Offsets committed(@PathParam("group") String group, @PathParam("name") String name,
                                       Consumers.Partitions body) {
        ManagedMember m = groups.member(group, name);
        List<TopicPartition> wanted = body == null || body.partitions() == null ? m.assignment()
                : body.partitions().stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        var committed = groups.committed(group, wanted);
        List<Consumers.Offset> out = new ArrayList<>();
        for (TopicPartition tp : wanted) {
            CommittedOffset c = committed.get(tp);
            out.add(new Consumers.Offset(tp.topic(), tp.partition(), c == null ? -1 : c.offset(), c == null ? "" : c.metadata()));
        }
        return new Consumers.Offsets(out);
    }

    @POST
    @Path("instances/{name}/positions")
    @Blocking
    @Consumes({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    @Operation(summary = "Set the positions the next read starts from")
    public Response seek(@PathParam("group") String group, @PathParam("name") String name, Consumers.Offsets body) {
        if (body == null || body.offsets() == null) {
            throw RestException.badRequest("Send {\"offsets\":[{\"topic\":…,\"partition\":…,\"offset\":…}]}.");
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (Consumers.Offset o : body.offsets()) {
            if (o == null || o.topic() == null || o.partition() == null || o.offset() == null || o.offset() < 0) {
                throw RestException.badRequest("Each position needs 'topic', 'partition' and an 'offset' >= 0.");
            }
            positions.put(new TopicPartition(o.topic(), o.partition()), o.offset());
        }
        ManagedMember m = groups.member(group, name);
        groups.seek(group, name, m.generation(), positions, false);
        return Response.noContent().build();
    }

    @POST
    @Path("instances/{name}/positions/beginning")
    @Blocking
    @Consumes({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    public Response seekToBeginning(@PathParam("group") String group, @PathParam("name") String name, Consumers.Partitions body) {
        return seekTo(group, name, body, true);
    }

    @POST
    @Path("instances/{name}/positions/end")
    @Blocking
    @Consumes({RestMediaTypes.V2, MediaType.APPLICATION_JSON})
    public Response seekToEnd(@PathParam("group") String group, @PathParam("name") String name, Consumers.Partitions body) {
        return seekTo(group, name, body, false);
    }

    private Response seekTo(String group, String name, Consumers.Partitions body, boolean beginning) {
        if (body == null || body.partitions() == null) {
            throw RestException.badRequest("Send {\"partitions\":[{\"topic\":…,\"partition\":…}]}.");
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (Consumers.Partition p : body.partitions()) {
            if (p == null || p.topic() == null || p.partition() == null) {
                throw RestException.badRequest("Each partition needs 'topic' and 'partition'.");
            }
            PartitionOffsets o = engine.offsets(p.topic(), p.partition());
            positions.put(new TopicPartition(p.topic(), p.partition()), beginning ? o.logStartOffset() : o.endOffset());
        }
        ManagedMember m = groups.member(group, name);
        groups.seek(group, name, m.generation(), positions, false);
        return Response.noContent().build();
    }

    private static String base(UriInfo uri) {
        String b = uri.getBaseUri().toString();
        return b.endsWith("/") ? b : b + "/";
    }
}
