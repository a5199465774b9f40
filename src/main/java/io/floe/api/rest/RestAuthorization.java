package io.floe.api.rest;

import java.util.Map;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * THE list of what each REST endpoint needs, by resource method: the same ACL model and the same
 * {@link io.floe.auth.Authorizer} as the Kafka listener ({@code api.kafka.KafkaAuthorization}), so
 * alice may do over REST exactly what she may do over Kafka. {@link RestSecurity} checks the rule of
 * the matched method before it runs; a method without a rule is refused (super-users aside), and
 * RestAuthorizationTest fails for any endpoint missing here. Stateless.
 */
final class RestAuthorization {

    /**
     * What a method needs: {@code op} on the resource of {@code type} named by path parameter
     * {@code param} (the cluster when null). {@code filtered}: a listing that shows only what the
     * principal may describe (the method filters); {@code none}: nothing needed.
     */
    record Rule(AclOperation op, ResourceType type, String param, boolean filtered, boolean none) {
    }

    private static Rule on(AclOperation op, ResourceType type, String param) {
        return new Rule(op, type, param, false, false);
    }

    private static Rule topic(AclOperation op) {
        return on(op, ResourceType.TOPIC, "topic");
    }

    private static Rule group(AclOperation op) {
        return on(op, ResourceType.GROUP, "group");
    }

    private static Rule cluster(AclOperation op) {
        return on(op, ResourceType.CLUSTER, null);
    }

    private static final Rule LISTING = new Rule(AclOperation.DESCRIBE, null, null, true, false);
    private static final Rule NONE = new Rule(null, null, null, false, true);

    /** Keyed {@code SimpleClassName.method}. */
    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("V2Resource.topics", LISTING),
            Map.entry("V2Resource.topic", topic(AclOperation.DESCRIBE)),
            Map.entry("V2Resource.produce", topic(AclOperation.WRITE)),
            Map.entry("V2Resource.partitions", topic(AclOperation.DESCRIBE)),
            Map.entry("V2Resource.partition", topic(AclOperation.DESCRIBE)),
            Map.entry("V2Resource.offsets", topic(AclOperation.DESCRIBE)),
            Map.entry("V2Resource.records", topic(AclOperation.READ)),
            Map.entry("V3Resource.clusters", NONE),
            Map.entry("V3Resource.cluster", NONE),
            Map.entry("V3Resource.topics", LISTING),
            Map.entry("V3Resource.createTopic", cluster(AclOperation.CREATE)),
            Map.entry("V3Resource.topic", topic(AclOperation.DESCRIBE)),
            Map.entry("V3Resource.updateTopic", topic(AclOperation.ALTER)),
            Map.entry("V3Resource.deleteTopic", topic(AclOperation.DELETE)),
            Map.entry("V3Resource.partitions", topic(AclOperation.DESCRIBE)),
            Map.entry("V3Resource.partition", topic(AclOperation.DESCRIBE)),
            Map.entry("V3Resource.configs", topic(AclOperation.DESCRIBE_CONFIGS)),
            Map.entry("V3Resource.config", topic(AclOperation.DESCRIBE_CONFIGS)),
            Map.entry("V3Resource.setConfig", topic(AclOperation.ALTER_CONFIGS)),
            Map.entry("V3Resource.resetConfig", topic(AclOperation.ALTER_CONFIGS)),
            Map.entry("V3Resource.alterConfigs", topic(AclOperation.ALTER_CONFIGS)),
            Map.entry("ConsumerGroupResource.list", LISTING),
            Map.entry("ConsumerGroupResource.group", group(AclOperation.DESCRIBE)),
            Map.entry("ConsumerGroupResource.consumers", group(AclOperation.DESCRIBE)),
            Map.entry("ConsumerGroupResource.lags", group(AclOperation.DESCRIBE)),
            Map.entry("ConsumerGroupResource.lagSummary", group(AclOperation.DESCRIBE)),
            // REST consumers: READ on the group for every call; READ on each topic where topics are named
            // (subscribe, assign, seek), checked by ConsumerResource through RestSecurity.require.
            // Share groups (queues): READ on the group; taking records also needs READ on each topic named,
            // checked by ShareGroupResource through RestSecurity.require.
            Map.entry("ShareGroupResource.take", group(AclOperation.READ)),
            Map.entry("ShareGroupResource.acknowledge", group(AclOperation.READ)),
            Map.entry("ShareGroupResource.leave", group(AclOperation.READ)),
            Map.entry("ShareGroupResource.describe", group(AclOperation.DESCRIBE)),
            Map.entry("ConsumerResource.create", group(AclOperation.READ)),
            Map.entry("ConsumerResource.delete", group(AclOperation.READ)),
            Map.entry("ConsumerResource.subscribe", group(AclOperation.READ)),
            Map.entry("ConsumerResource.subscription", group(AclOperation.READ)),
            Map.entry("ConsumerResource.unsubscribe", group(AclOperation.READ)),
            Map.entry("ConsumerResource.assignments", group(AclOperation.READ)),
            Map.entry("ConsumerResource.records", group(AclOperation.READ)),
            Map.entry("ConsumerResource.commit", group(AclOperation.READ)),
            Map.entry("ConsumerResource.committed", group(AclOperation.DESCRIBE)),
            Map.entry("ConsumerResource.seek", group(AclOperation.READ)),
            Map.entry("ConsumerResource.seekToBeginning", group(AclOperation.READ)),
            Map.entry("ConsumerResource.seekToEnd", group(AclOperation.READ)),
            Map.entry("SecurityResource.acls", cluster(AclOperation.DESCRIBE)),
            Map.entry("SecurityResource.createAcl", cluster(AclOperation.ALTER)),
            Map.entry("SecurityResource.deleteAcls", cluster(AclOperation.ALTER)),
            Map.entry("SecurityResource.users", cluster(AclOperation.DESCRIBE)),
            Map.entry("SecurityResource.putCredential", cluster(AclOperation.ALTER)),
            Map.entry("SecurityResource.deleteCredential", cluster(AclOperation.ALTER)));

    private RestAuthorization() {
    }
}
