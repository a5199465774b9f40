package io.floe.api.console;

import io.floe.group.CommittedOffset;
import io.floe.group.GroupCoordinator;
import io.floe.group.GroupDescription;
import io.floe.group.GroupListing;
import io.floe.group.LagHistory;
import io.floe.group.MemberDescription;
import io.floe.group.OffsetCommit;
import io.floe.group.PartitionLag;
import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Consumer groups in the console: the list, one group's members, assignment, committed offsets and
 * lag per partition (the same {@link GroupCoordinator} calls as the REST API's consumer-group
 * resource), its lag over time from this instance's {@link LagHistory}, and an offset reset that,
 * as in Kafka, only an empty group accepts. Worker threads.
 */
@Path("/ui/groups")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class GroupPages {

    public record MemberRow(String memberId, String clientId, String host, String assignment) {
    }

    private final GroupCoordinator groups;
    private final LogEngine engine;
    private final Listings listings;
    private final LagHistory history;
    private final Clock clock;
    private final Template list;
    private final Template group;
    private final Template gone;

    GroupPages(GroupCoordinator groups, LogEngine engine, Listings listings, LagHistory history, Clock clock,
               @Location("console/groups.html") Template list, @Location("console/group.html") Template group,
               @Location("console/gone.html") Template gone) {
        this.groups = groups;
        this.engine = engine;
        this.listings = listings;
        this.history = history;
        this.clock = clock;
        this.list = list;
        this.group = group;
        this.gone = gone;
    }

    @GET
    public Response list(@jakarta.ws.rs.QueryParam("from") String from) {
        ListPage page = ListPage.of(listings.groupIds(), from);
        List<GroupListing> rows = listings.groups(page.shown());
        return Pages.ok(list.data("page", "groups").data("groups", rows).data("list", page).data("fresh", listings.maxAgeSeconds()));
    }

    @GET
    @Path("{group}")
    public Response show(@PathParam("group") String id) {
        return groupPage(200, id, null, null);
    }

    @POST
    @Path("{group}/reset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reset(@PathParam("group") String id, @FormParam("to") String to, @FormParam("topic") String topic,
                          @FormParam("timestamp") String timestamp, @FormParam("confirm") String confirm) {
        try {
            GroupDescription d = describe(id);
            if (!d.members().isEmpty()) {
                throw new FloeException(ErrorCode.GROUP_NOT_EMPTY, "Offsets can be reset only when the group is empty, as "
                        + "in Kafka: '" + id + "' has " + d.members().size() + " active member(s). Stop its consumers first.");
            }
            if (!"yes".equals(confirm)) {
                throw FloeException.invalid("Tick the box to confirm: consumers of '" + id + "' will start from the new offsets.");
            }
            Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
            long now = clock.millis();
            for (PartitionLag l : groups.lag(id)) {
                if (!Forms.blank(topic) && !l.partition().topic().equals(topic)) {
                    continue;
                }
                long target = switch (to == null ? "" : to) {
                    case "earliest" -> l.logStartOffset();
                    case "latest" -> l.endOffset();
                    case "timestamp" -> {
                        if (Forms.blank(timestamp)) {
                            throw FloeException.invalid("Give a timestamp to reset to.");
                        }
                        long at = engine.offsetForTimestamp(l.partition().topic(), l.partition().partition(),
                                Forms.timestamp("timestamp", timestamp));
                        yield at < 0 ? l.endOffset() : at;
                    }
                    default -> throw FloeException.invalid("'to' must be earliest, latest or timestamp, got '" + to + "'.");
                };
                offsets.put(l.partition(), new CommittedOffset(target, -1, "", now));
            }
            if (offsets.isEmpty()) {
                throw FloeException.invalid(Forms.blank(topic) ? "The group has no committed offsets to reset."
                        : "The group has no committed offsets on topic '" + topic + "'.");
            }
            Map<TopicPartition, ErrorCode> refused = groups.commit(new OffsetCommit(id, "", null, -1, offsets,
                    OffsetCommit.Durability.SYNC));
            if (!refused.isEmpty()) {
                throw FloeException.invalid("Not reset: " + refused.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", ")) + ".");
            }
            listings.groupChanged(id);
            return Pages.seeOther("/ui/groups/" + Urls.url(id));
        } catch (FloeException e) {
            if (Pages.isGone(e)) {
                return goneGroup(id);
            }
            return groupPage(Pages.status(e), id, e.getMessage(), to);
        }
    }

    private GroupDescription describe(String id) {
        return groups.describe(id).orElseThrow(() -> new FloeException(ErrorCode.UNKNOWN_GROUP,
                "Consumer group '" + id + "' does not exist."));
    }

    private Response groupPage(int status, String id, String error, String to) {
        GroupDescription d;
        List<PartitionLag> lags;
        try {
            d = describe(id);
            lags = groups.lag(id);
        } catch (FloeException e) {
            if (Pages.isGone(e)) {
                return goneGroup(id);
            }
            throw e;
        }
        history.record(id, clock.millis(), lags);
        List<MemberRow> members = d.members().stream().map(GroupPages::member).toList();
        List<LagHistory.Sample> samples = history.samples(id);
        String chart = Charts.series(List.of("total lag"), samples.stream().map(LagHistory.Sample::timeMs).toList(),
                List.of(samples.stream().map(s -> (double) s.totalLag()).toList()));
        return Pages.html(status, group.data("page", "groups").data("group", d).data("members", members)
                .data("lags", lags).data("totalLag", lags.stream().mapToLong(PartitionLag::lag).sum())
                .data("topics", lags.stream().map(l -> l.partition().topic()).distinct().toList())
                .data("chart", chart).data("error", error).data("to", to == null ? "earliest" : to));
    }

    private static MemberRow member(MemberDescription m) {
        String assignment = m.assignment().partitions().stream().map(TopicPartition::toString).sorted()
                .collect(Collectors.joining(", "));
        return new MemberRow(m.memberId(), m.clientId(), m.clientHost(), assignment);
    }

    private Response goneGroup(String id) {
        history.forget(id);
        listings.groupChanged(id);
        return Pages.html(404, gone.data("page", "groups").data("kind", "Consumer group").data("name", id)
                .data("back", "/ui/groups").data("backLabel", "All groups"));
    }
}
