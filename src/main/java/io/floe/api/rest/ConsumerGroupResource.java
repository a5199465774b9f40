package io.floe.api.rest;

import io.floe.group.GroupCoordinator;
import io.floe.group.GroupDescription;
import io.floe.group.GroupListing;
import io.floe.group.MemberDescription;
import io.floe.group.PartitionLag;
import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operator's view of consumer groups, in REST Proxy v3 shapes. Blocking: reads the bucket. */
@Path("/v3/clusters/{cluster}/consumer-groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Consumer groups (REST Proxy v3)")
public class ConsumerGroupResource {

    private final GroupCoordinator groups;
    private final LogEngine engine;

    private final RestSecurity security;

    ConsumerGroupResource(GroupCoordinator groups, LogEngine engine, RestSecurity security) {
        this.security = security;
        this.groups = groups;
        this.engine = engine;
    }

    @GET
    @Blocking
    @Operation(summary = "All consumer groups")
    public V3.ResourceList<Consumers.ConsumerGroup> list(@PathParam("cluster") String cluster, @Context UriInfo uri) {
        String base = base(uri, cluster);
        List<Consumers.ConsumerGroup> out = new ArrayList<>();
        for (GroupListing l : groups.listGroups()) {
            if (!security.mayDescribe(org.apache.kafka.common.resource.ResourceType.GROUP, l.groupId())) {
                continue;
            }
            groups.describe(l.groupId()).ifPresent(d -> out.add(group(base, cluster, d)));
        }
        return new V3.ResourceList<>("KafkaConsumerGroupList", new V3.ListMetadata(base, null), out);
    }

    @GET
    @Path("{group}")
    @Blocking
    @Operation(summary = "A consumer group")
    public Consumers.ConsumerGroup group(@PathParam("cluster") String cluster, @PathParam("group") String group,
                                         @Context UriInfo uri) {
        return group(base(uri, cluster), cluster, describe(group));
    }

    @GET
    @Path("{group}/consumers")
    @Blocking
    @Operation(summary = "The members of a consumer group and their assignments")
    public V3.ResourceList<Consumers.Consumer> consumers(@PathParam("cluster") String cluster,
                                                        @PathParam("group") String group, @Context UriInfo uri) {
        String self = base(uri, cluster) + "/" + group + "/consumers";
        List<Consumers.Consumer> out = new ArrayList<>();
        for (MemberDescription m : describe(group).members()) {
            String me = self + "/" + m.memberId();
            out.add(new Consumers.Consumer("KafkaConsumer",
                    new V3.ResourceMetadata(me, "crn:///kafka=" + cluster + "/consumer-group=" + group + "/consumer=" + m.memberId()),
                    cluster, group, m.memberId(), m.groupInstanceId(), m.clientId(), new V3.Related(me + "/assignments"),
                    m.assignment().partitions().stream().map(tp -> new Consumers.Partition(tp.topic(), tp.partition())).toList()));
        }
        return new V3.ResourceList<>("KafkaConsumerList", new V3.ListMetadata(self, null), out);
    }

    @GET
    @Path("{group}/lags")
    @Blocking
    @Operation(summary = "Lag per partition: log end offset minus committed offset")
    public V3.ResourceList<Consumers.ConsumerLag> lags(@PathParam("cluster") String cluster,
                                                      @PathParam("group") String group, @Context UriInfo uri) {
        String self = base(uri, cluster) + "/" + group + "/lags";
        List<Consumers.ConsumerLag> out = new ArrayList<>();
        for (PartitionLag l : groups.lag(group)) {
            String me = self + "/" + l.partition().topic() + "/partitions/" + l.partition().partition();
            out.add(new Consumers.ConsumerLag("KafkaConsumerLag", new V3.ResourceMetadata(me, "crn:///kafka=" + cluster
                    + "/consumer-group=" + group + "/lag=" + l.partition()), cluster, group, l.partition().topic(),
                    l.partition().partition(), l.committedOffset(), l.endOffset(), l.lag(), l.memberId(), null, l.clientId()));
        }
        return new V3.ResourceList<>("KafkaConsumerLagList", new V3.ListMetadata(self, null), out);
    }

    @GET
    @Path("{group}/lag-summary")
    @Blocking
    @Operation(summary = "Total and largest lag of a group")
    public Consumers.LagSummary lagSummary(@PathParam("cluster") String cluster, @PathParam("group") String group,
                                           @Context UriInfo uri) {
        String self = base(uri, cluster) + "/" + group + "/lag-summary";
        PartitionLag max = null;
        long total = 0;
        for (PartitionLag l : groups.lag(group)) {
            total += l.lag();
            if (max == null || l.lag() > max.lag()) {
                max = l;
            }
        }
        return new Consumers.LagSummary("KafkaConsumerGroupLagSummary", new V3.ResourceMetadata(self,
                "crn:///kafka=" + cluster + "/consumer-group=" + group + "/lag-summary"), cluster, group,
                max == null ? null : max.memberId(), max == null ? null : max.clientId(),
                max == null ? null : max.partition().topic(), max == null ? null : max.partition().partition(),
                max == null ? 0 : max.lag(), total);
    }

    private GroupDescription describe(String group) {
        return groups.describe(group).orElseThrow(() -> new FloeException(ErrorCode.UNKNOWN_GROUP,
                "Consumer group '" + group + "' does not exist."));
    }

    private static Consumers.ConsumerGroup group(String base, String cluster, GroupDescription d) {
        String self = base + "/" + d.groupId();
        return new Consumers.ConsumerGroup("KafkaConsumerGroup",
                new V3.ResourceMetadata(self, "crn:///kafka=" + cluster + "/consumer-group=" + d.groupId()),
                cluster, d.groupId(), d.protocolType().isEmpty(), d.protocolName(), d.state().kafkaName().toUpperCase(java.util.Locale.ROOT)
                .replace("PREPARINGREBALANCE", "PREPARING_REBALANCE").replace("COMPLETINGREBALANCE", "COMPLETING_REBALANCE"),
                new V3.Related(base.substring(0, base.length() - "/consumer-groups".length()) + "/brokers/0"),
                new V3.Related(self + "/consumers"), new V3.Related(self + "/lag-summary"));
    }

    private String base(UriInfo uri, String cluster) {
        String id = engine.clusterId();
        if (!id.equals(cluster)) {
            throw RestException.notFound("Cluster '" + cluster + "' does not exist; this cluster's id is '" + id + "'.");
        }
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b : b + "/") + "v3/clusters/" + id + "/consumer-groups";
    }
}
