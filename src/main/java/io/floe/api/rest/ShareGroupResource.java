package io.floe.api.rest;

import io.floe.model.ErrorCode;
import io.floe.model.FetchedRecord;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.share.AckType;
import io.floe.share.Acknowledgement;
import io.floe.share.AcquiredRecords;
import io.floe.share.ShareFetch;
import io.floe.share.ShareFetchResult;
import io.floe.share.ShareGroupDoc;
import io.floe.share.ShareGroups;
import io.floe.share.ShareHeartbeat;
import io.floe.share.ShareMember;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Queues over HTTP: a share group's records taken and acknowledged by stateless callers (a curl loop, a
 * Lambda function). {@code POST …/records} makes the caller a member (joining, or renewing its session)
 * and takes records locked for it; {@code POST …/acknowledgements} accepts, releases or rejects them;
 * records not acknowledged before the lock times out go to another worker. The same share groups as
 * Kafka's KafkaShareConsumer sees. Blocking methods run on worker threads.
 */
@Path("/share-groups/{group}")
@Tag(name = "Share groups (queues)")
public class ShareGroupResource {

    static final int DEFAULT_MAX_RECORDS = 100;
    static final int MAX_RECORDS = 10_000;

    private final ShareGroups shares;
    private final Json json;
    private final RestLimits limits;
    private final RestSecurity security;

    ShareGroupResource(ShareGroups shares, Json json, RestLimits limits, RestSecurity security) {
        this.shares = shares;
        this.json = json;
        this.limits = limits;
        this.security = security;
    }

    @POST
    @Path("records")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Take records: each is locked for the member until acknowledged or the lock times out")
    public Queues.Taken take(@PathParam("group") String group, Queues.Take body) {
        if (body == null || body.topics() == null || body.topics().isEmpty()) {
            throw RestException.badRequest("Name the topics to take records from: {\"topics\":[\"orders\"]}.");
        }
        for (String t : body.topics()) {
            security.require(AclOperation.READ, ResourceType.TOPIC, t);
        }
        String member = body.member() == null || body.member().isBlank() ? "rest-" + UUID.randomUUID() : body.member();
        if (!member.matches("[A-Za-z0-9._-]{1,200}")) {
            throw RestException.badRequest("Member '" + member + "': expected 1 to 200 of A-Z a-z 0-9 . _ -.");
        }
        String format = body.format() == null ? "binary" : body.format().toLowerCase(Locale.ROOT);
        if (!format.equals("binary") && !format.equals("json")) {
            throw RestException.badRequest("format = '" + body.format() + "': expected binary or json.");
        }
        EmbeddedFormat embedded = format.equals("json") ? EmbeddedFormat.JSON : EmbeddedFormat.BINARY;
        int maxRecords = body.maxRecords() == null ? DEFAULT_MAX_RECORDS : body.maxRecords();
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw RestException.badRequest("max_records = " + maxRecords + ": expected 1 to " + MAX_RECORDS + ".");
        }
        RestLimits.Fetch asked = limits.fetch(body.timeoutMs() == null ? ConsumerResource.DEFAULT_TIMEOUT_MS
                        : Math.max(0, Math.min(body.timeoutMs(), RestLimits.API_MAX_WAIT.toMillis())),
                body.maxBytes() == null ? V2Resource.DEFAULT_MAX_BYTES : Math.max(1, Math.min(body.maxBytes(), RestLimits.API_MAX_FETCH_BYTES)));
        ShareMember m = shares.ensureMember(group, member, body.topics(), member, "rest");
        ShareFetchResult r = shares.fetch(new ShareFetch(group, member, ShareGroups.assigned(m), Map.of(), maxRecords, asked.maxBytes(),
                Duration.ofMillis(asked.waitMs())));
        List<Queues.TakenRecord> out = new ArrayList<>();
        r.partitions().forEach((tp, p) -> {
            for (FetchedRecord rec : records(tp, p)) {
                int count = deliveryCount(p.acquired(), rec.offset());
                if (count > 0) {
                    V2.Record v = V2.Record.of(tp.topic(), rec, embedded, json);
                    out.add(new Queues.TakenRecord(tp.topic(), tp.partition(), rec.offset(), count, rec.timestamp(), v.key(), v.value(),
                            v.headers()));
                }
            }
        });
        return new Queues.Taken(member, shares.limits(group).lockDuration().toMillis(), out);
    }

    private static List<FetchedRecord> records(TopicPartition tp, ShareFetchResult.Partition p) {
        List<FetchedRecord> out = new ArrayList<>();
        for (ByteBuffer b : p.batches()) {
            out.addAll(io.floe.format.RecordBatches.decode(tp.partition(), b.duplicate(), 0, (producerId, base) -> false));
        }
        return out;
    }

    /** The delivery count of an acquired offset; 0 when the member did not acquire it. */
    private static int deliveryCount(List<AcquiredRecords> acquired, long offset) {
        for (AcquiredRecords a : acquired) {
            if (offset >= a.firstOffset() && offset <= a.lastOffset()) {
                return a.deliveryCount();
            }
        }
        return 0;
    }

    @POST
    @Path("acknowledgements")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept, release or reject taken records; per partition all or none")
    public Queues.AckResults acknowledge(@PathParam("group") String group, Queues.Acks body) {
        if (body == null || body.member() == null || body.records() == null || body.records().isEmpty()) {
            throw RestException.badRequest("Send the member and the records: {\"member\":\"w1\",\"records\":[{\"topic\":\"orders\","
                    + "\"partition\":0,\"offset\":42,\"type\":\"accept\"}]}.");
        }
        Map<TopicPartition, List<Acknowledgement>> acks = new LinkedHashMap<>();
        for (Queues.Ack a : body.records()) {
            if (a.topic() == null || a.partition() == null || a.offset() == null || a.offset() < 0) {
                throw RestException.badRequest("Each record needs topic, partition and offset.");
            }
            AckType type = switch (a.type() == null ? "accept" : a.type().toLowerCase(Locale.ROOT)) {
                case "accept" -> AckType.ACCEPT;
                case "release" -> AckType.RELEASE;
                case "reject" -> AckType.REJECT;
                default -> throw RestException.badRequest("type = '" + a.type() + "': expected accept, release or reject.");
            };
            acks.computeIfAbsent(new TopicPartition(a.topic(), a.partition()), x -> new ArrayList<>())
                    .add(new Acknowledgement(a.offset(), a.offset(), type));
        }
        Map<TopicPartition, FloeException> refused = shares.acknowledge(group, body.member(), acks);
        List<Queues.AckResult> results = new ArrayList<>();
        for (TopicPartition tp : acks.keySet()) {
            FloeException e = refused.get(tp);
            results.add(e == null ? new Queues.AckResult(tp.topic(), tp.partition(), 0, null)
                    : new Queues.AckResult(tp.topic(), tp.partition(), ErrorMapping.httpError(e.code()).errorCode(), e.getMessage()));
        }
        return new Queues.AckResults(results);
    }

    @DELETE
    @Path("members/{member}")
    @Blocking
    @Operation(summary = "Leave the share group; the member's locked records go to others at once")
    public Response leave(@PathParam("group") String group, @PathParam("member") String member) {
        ShareGroupDoc d = shares.describe(group).orElseThrow(() -> new FloeException(ErrorCode.UNKNOWN_GROUP,
                "Share group '" + group + "' does not exist."));
        ShareMember m = d.members().get(member);
        if (m == null) {
            throw new FloeException(ErrorCode.UNKNOWN_MEMBER, "Member " + member + " is not in share group '" + group + "'.");
        }
        shares.heartbeat(new ShareHeartbeat(group, member, ShareHeartbeat.LEAVE, member, "rest", null, null));
        return Response.noContent().build();
    }

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The share group: members, assignments and share-partition start offsets")
    public Queues.Group describe(@PathParam("group") String group) {
        ShareGroupDoc d = shares.describe(group).orElseThrow(() -> new FloeException(ErrorCode.UNKNOWN_GROUP,
                "Share group '" + group + "' does not exist."));
        List<Queues.Member> members = d.members().values().stream().map(m -> new Queues.Member(m.memberId(), m.memberEpoch(),
                m.clientId(), m.topics(), ShareGroups.assigned(m).stream().map(tp -> new Consumers.Partition(tp.topic(), tp.partition()))
                        .toList())).toList();
        List<Queues.StartOffset> starts = new ArrayList<>();
        shares.startOffsets(group).forEach((tp, o) -> starts.add(new Queues.StartOffset(tp.topic(), tp.partition(), o)));
        return new Queues.Group(d.groupId(), d.state(), d.groupEpoch(), members, starts);
    }
}
