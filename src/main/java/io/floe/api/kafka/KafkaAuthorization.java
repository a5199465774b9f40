package io.floe.api.kafka;

import io.floe.auth.Authorizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * THE list of what each Kafka API needs (Kafka's own table, as its brokers enforce it): one row per
 * {@link ApiKeys}, the only place the listener's authorization is spelled. {@link KafkaApis} runs a
 * row's checks before any engine call; the test (KafkaAuthorizationTest) is generated from these
 * rows, and an API Floe answers without a row is refused for everyone but super-users, so none can
 * be forgotten. Rows for the transaction APIs are here before their handlers (helper 12b's branch).
 *
 * <p>A request that names any resource the principal may not use is refused whole, with Kafka's
 * error for that resource type (docs/DECISIONS.md D57). Order matters: the first failing check
 * decides the error (group and transactional id before topics, as in Kafka). Stateless.
 */
final class KafkaAuthorization {

    /** One permission a request needs. {@code name == null}: on any resource of the type. {@code orElse}: an alternative. */
    record Check(AclOperation op, ResourceType type, String name, Check orElse) {
        Check(AclOperation op, ResourceType type, String name) {
            this(op, type, name, null);
        }
    }

    /**
     * The per-topic permission of the requests whose answers carry per-topic or per-partition errors, as
     * Kafka's do (the share APIs: TOPIC_AUTHORIZATION_FAILED on the partition, the rest of the request
     * served). The row checks the group; the handler asks this for each topic. A denial is logged.
     */
    @FunctionalInterface
    interface TopicAccess {
        boolean allows(AclOperation op, String topic);
    }

    enum Kind {
        /** No permission needed (version negotiation, authentication itself, cluster shape). */
        NONE,
        /** The checks must all pass. */
        CHECKS,
        /** The handler shows only what the principal may describe (its checks, if any, pass first). */
        FILTERED
    }

    /** A row: what {@code key} needs, and a line for the docs. */
    record Row(ApiKeys key, Kind kind, Function<AbstractRequest, List<Check>> checks, String needs) {
    }

    static final Map<ApiKeys, Row> ROWS;

    static {
        Map<ApiKeys, Row> m = new EnumMap<>(ApiKeys.class);
        none(m, ApiKeys.API_VERSIONS, "nothing");
        none(m, ApiKeys.SASL_HANDSHAKE, "nothing (authentication)");
        none(m, ApiKeys.SASL_AUTHENTICATE, "nothing (authentication)");
        none(m, ApiKeys.DESCRIBE_CLUSTER, "nothing (brokers and cluster id)");
        none(m, ApiKeys.GET_TELEMETRY_SUBSCRIPTIONS, "nothing (no metrics are requested)");
        filtered(m, ApiKeys.METADATA, r -> List.of(),
                "DESCRIBE topic per topic shown; CREATE on cluster or topic to auto-create");
        row(m, ApiKeys.PRODUCE, r -> {
            ProduceRequest p = (ProduceRequest) r;
            List<Check> c = new ArrayList<>();
            if (p.transactionalId() != null) {
                c.add(new Check(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, p.transactionalId()));
            }
            p.data().topicData().forEach(t -> c.add(topic(AclOperation.WRITE, t.name())));
            return c;
        }, "WRITE topic (and WRITE transactional id when transactional)");
        row(m, ApiKeys.FETCH, r -> topics(AclOperation.READ,
                ((FetchRequest) r).data().topics().stream().map(t -> t.topic()).toList()), "READ topic");
        row(m, ApiKeys.LIST_OFFSETS, r -> topics(AclOperation.DESCRIBE,
                ((ListOffsetsRequest) r).data().topics().stream().map(t -> t.name()).toList()), "DESCRIBE topic");
        row(m, ApiKeys.CREATE_TOPICS, r -> ((CreateTopicsRequest) r).data().topics().stream()
                .map(t -> new Check(AclOperation.CREATE, ResourceType.TOPIC, t.name(), cluster(AclOperation.CREATE))).toList(),
                "CREATE topic, or CREATE cluster");
        row(m, ApiKeys.DELETE_TOPICS, r -> {
            var d = ((DeleteTopicsRequest) r).data();
            List<String> names = new ArrayList<>(d.topicNames());
            d.topics().forEach(t -> names.add(t.name()));
            return topics(AclOperation.DELETE, names);
        }, "DELETE topic");
        row(m, ApiKeys.DELETE_RECORDS, r -> topics(AclOperation.DELETE,
                ((DeleteRecordsRequest) r).data().topics().stream().map(t -> t.name()).toList()), "DELETE topic");
        row(m, ApiKeys.OFFSET_FOR_LEADER_EPOCH, r -> topics(AclOperation.DESCRIBE,
                ((OffsetsForLeaderEpochRequest) r).data().topics().stream().map(t -> t.topic()).toList()), "DESCRIBE topic");
        row(m, ApiKeys.CREATE_PARTITIONS, r -> topics(AclOperation.ALTER,
                ((CreatePartitionsRequest) r).data().topics().stream().map(t -> t.name()).toList()), "ALTER topic");
        row(m, ApiKeys.DESCRIBE_CONFIGS, r -> ((DescribeConfigsRequest) r).data().resources().stream()
                .map(c -> config(AclOperation.DESCRIBE_CONFIGS, c.resourceType(), c.resourceName())).toList(),
                "DESCRIBE_CONFIGS topic or group (cluster for broker configs)");
        row(m, ApiKeys.ALTER_CONFIGS, r -> ((AlterConfigsRequest) r).data().resources().stream()
                .map(c -> config(AclOperation.ALTER_CONFIGS, c.resourceType(), c.resourceName())).toList(),
                "ALTER_CONFIGS topic or group (cluster for broker configs)");
        row(m, ApiKeys.INCREMENTAL_ALTER_CONFIGS, r -> ((IncrementalAlterConfigsRequest) r).data().resources().stream()
                .map(c -> config(AclOperation.ALTER_CONFIGS, c.resourceType(), c.resourceName())).toList(),
                "ALTER_CONFIGS topic or group (cluster for broker configs)");
        row(m, ApiKeys.FIND_COORDINATOR, r -> {
            var d = ((FindCoordinatorRequest) r).data();
            ResourceType type = d.keyType() == 1 ? ResourceType.TRANSACTIONAL_ID : ResourceType.GROUP;
            List<String> keys = d.coordinatorKeys().isEmpty() ? List.of(d.key()) : d.coordinatorKeys();
            return keys.stream().map(k -> new Check(AclOperation.DESCRIBE, type, k)).toList();
        }, "DESCRIBE group (DESCRIBE transactional id for a transaction coordinator)");
        row(m, ApiKeys.INIT_PRODUCER_ID, r -> {
            String txn = ((InitProducerIdRequest) r).data().transactionalId();
            return txn != null ? List.of(new Check(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, txn))
                    : List.of(new Check(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, Authorizer.CLUSTER,
                    new Check(AclOperation.WRITE, ResourceType.TOPIC, null)));
        }, "WRITE transactional id; without one, IDEMPOTENT_WRITE cluster or WRITE on any topic");
        row(m, ApiKeys.JOIN_GROUP, r -> group(AclOperation.READ, ((JoinGroupRequest) r).data().groupId()), "READ group");
        row(m, ApiKeys.SYNC_GROUP, r -> group(AclOperation.READ, ((SyncGroupRequest) r).data().groupId()), "READ group");
        row(m, ApiKeys.HEARTBEAT, r -> group(AclOperation.READ, ((HeartbeatRequest) r).data().groupId()), "READ group");
        row(m, ApiKeys.LEAVE_GROUP, r -> group(AclOperation.READ, ((LeaveGroupRequest) r).data().groupId()), "READ group");
        row(m, ApiKeys.CONSUMER_GROUP_HEARTBEAT, r -> group(AclOperation.READ,
                ((org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest) r).data().groupId()), "READ group");
        row(m, ApiKeys.CONSUMER_GROUP_DESCRIBE, r -> ((org.apache.kafka.common.requests.ConsumerGroupDescribeRequest) r)
                .data().groupIds().stream().map(g -> new Check(AclOperation.DESCRIBE, ResourceType.GROUP, g)).toList(),
                "DESCRIBE group");
        row(m, ApiKeys.OFFSET_COMMIT, r -> {
            var d = ((OffsetCommitRequest) r).data();
            return concat(group(AclOperation.READ, d.groupId()), topics(AclOperation.READ,
                    d.topics().stream().map(t -> t.name()).toList()));
        }, "READ group and READ topic");
        row(m, ApiKeys.OFFSET_FETCH, r -> {
            var d = ((OffsetFetchRequest) r).data();
            List<Check> c = new ArrayList<>();
            if (d.groups().isEmpty()) {
                c.add(new Check(AclOperation.DESCRIBE, ResourceType.GROUP, d.groupId()));
                if (d.topics() != null) {
                    d.topics().forEach(t -> c.add(topic(AclOperation.DESCRIBE, t.name())));
                }
            } else {
                d.groups().forEach(g -> {
                    c.add(new Check(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId()));
                    if (g.topics() != null) {
                        g.topics().forEach(t -> c.add(topic(AclOperation.DESCRIBE, t.name())));
                    }
                });
            }
            return c;
        }, "DESCRIBE group and DESCRIBE topic");
        filtered(m, ApiKeys.LIST_GROUPS, r -> List.of(), "DESCRIBE group per group shown (DESCRIBE cluster: all)");
        row(m, ApiKeys.DESCRIBE_GROUPS, r -> ((DescribeGroupsRequest) r).data().groups().stream()
                .map(g -> new Check(AclOperation.DESCRIBE, ResourceType.GROUP, g)).toList(), "DESCRIBE group");
        row(m, ApiKeys.DELETE_GROUPS, r -> ((DeleteGroupsRequest) r).data().groupsNames().stream()
                .map(g -> new Check(AclOperation.DELETE, ResourceType.GROUP, g)).toList(), "DELETE group");
        row(m, ApiKeys.OFFSET_DELETE, r -> {
            var d = ((OffsetDeleteRequest) r).data();
            return concat(group(AclOperation.DELETE, d.groupId()), topics(AclOperation.READ,
                    d.topics().stream().map(t -> t.name()).toList()));
        }, "DELETE group and READ topic");
        row(m, ApiKeys.CREATE_ACLS, r -> List.of(cluster(AclOperation.ALTER)), "ALTER cluster");
        row(m, ApiKeys.DELETE_ACLS, r -> List.of(cluster(AclOperation.ALTER)), "ALTER cluster");
        row(m, ApiKeys.DESCRIBE_ACLS, r -> List.of(cluster(AclOperation.DESCRIBE)), "DESCRIBE cluster");
        row(m, ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, r -> List.of(cluster(AclOperation.ALTER)), "ALTER cluster");
        // Sent by kafka-transactions.sh abort (a broker's request in Kafka): the cluster action it needs there.
        row(m, ApiKeys.WRITE_TXN_MARKERS, r -> List.of(cluster(AclOperation.CLUSTER_ACTION)), "CLUSTER_ACTION cluster");
        row(m, ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, r -> List.of(cluster(AclOperation.DESCRIBE)), "DESCRIBE cluster");
        row(m, ApiKeys.DESCRIBE_CLIENT_QUOTAS, r -> List.of(cluster(AclOperation.DESCRIBE_CONFIGS)),
                "DESCRIBE_CONFIGS cluster (Floe has no quotas: always none)");
        // ---- transactions (handlers on helper 12b's branch; the rows are Kafka's) ----
        row(m, ApiKeys.ADD_PARTITIONS_TO_TXN, r -> {
            var d = ((AddPartitionsToTxnRequest) r).data();
            List<Check> c = new ArrayList<>();
            if (d.v3AndBelowTransactionalId() != null && !d.v3AndBelowTransactionalId().isEmpty()) {
                c.add(new Check(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, d.v3AndBelowTransactionalId()));
                d.v3AndBelowTopics().forEach(t -> c.add(topic(AclOperation.WRITE, t.name())));
            }
            d.transactions().forEach(tx -> {
                c.add(new Check(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, tx.transactionalId()));
                tx.topics().forEach(t -> c.add(topic(AclOperation.WRITE, t.name())));
            });
            return c;
        }, "WRITE transactional id and WRITE topic");
        row(m, ApiKeys.ADD_OFFSETS_TO_TXN, r -> {
            var d = ((AddOffsetsToTxnRequest) r).data();
            return List.of(new Check(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, d.transactionalId()),
                    new Check(AclOperation.READ, ResourceType.GROUP, d.groupId()));
        }, "WRITE transactional id and READ group");
        row(m, ApiKeys.TXN_OFFSET_COMMIT, r -> {
            var d = ((TxnOffsetCommitRequest) r).data();
            return concat(List.of(new Check(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, d.transactionalId())),
                    concat(group(AclOperation.READ, d.groupId()),
                            topics(AclOperation.READ, d.topics().stream().map(t -> t.name()).toList())));
        }, "WRITE transactional id, READ group and READ topic");
        row(m, ApiKeys.END_TXN, r -> List.of(new Check(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID,
                ((EndTxnRequest) r).data().transactionalId())), "WRITE transactional id");
        row(m, ApiKeys.DESCRIBE_TRANSACTIONS, r -> ((DescribeTransactionsRequest) r).data().transactionalIds().stream()
                .map(t -> new Check(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, t)).toList(),
                "DESCRIBE transactional id");
        filtered(m, ApiKeys.LIST_TRANSACTIONS, r -> List.of(), "DESCRIBE transactional id per transaction shown");
        row(m, ApiKeys.DESCRIBE_PRODUCERS, r -> topics(AclOperation.READ,
                ((DescribeProducersRequest) r).data().topics().stream().map(t -> t.name()).toList()), "READ topic");
        // ---- share groups (KIP-932), as Kafka's KafkaApis: the group here, topics per partition in ShareHandler ----
        row(m, ApiKeys.SHARE_GROUP_HEARTBEAT, r -> {
            var d = ((org.apache.kafka.common.requests.ShareGroupHeartbeatRequest) r).data();
            return concat(group(AclOperation.READ, d.groupId()),
                    topics(AclOperation.DESCRIBE, d.subscribedTopicNames() == null ? List.of() : d.subscribedTopicNames()));
        }, "READ group and DESCRIBE each subscribed topic");
        row(m, ApiKeys.SHARE_GROUP_DESCRIBE, r -> ((org.apache.kafka.common.requests.ShareGroupDescribeRequest) r).data().groupIds()
                .stream().map(g -> new Check(AclOperation.DESCRIBE, ResourceType.GROUP, g)).toList(), "DESCRIBE group");
        row(m, ApiKeys.SHARE_FETCH, r -> group(AclOperation.READ,
                ((org.apache.kafka.common.requests.ShareFetchRequest) r).data().groupId()),
                "READ group; READ topic per partition (TOPIC_AUTHORIZATION_FAILED on the partition)");
        row(m, ApiKeys.SHARE_ACKNOWLEDGE, r -> group(AclOperation.READ,
                ((org.apache.kafka.common.requests.ShareAcknowledgeRequest) r).data().groupId()),
                "READ group; READ topic per partition (TOPIC_AUTHORIZATION_FAILED on the partition)");
        row(m, ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, r -> ((org.apache.kafka.common.requests.DescribeShareGroupOffsetsRequest) r)
                .data().groups().stream().map(g -> new Check(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId())).toList(),
                "DESCRIBE group; DESCRIBE topic per topic (others left out, or TOPIC_AUTHORIZATION_FAILED when named)");
        row(m, ApiKeys.ALTER_SHARE_GROUP_OFFSETS, r -> group(AclOperation.READ,
                ((org.apache.kafka.common.requests.AlterShareGroupOffsetsRequest) r).data().groupId()),
                "READ group; READ topic per topic (TOPIC_AUTHORIZATION_FAILED on its partitions)");
        row(m, ApiKeys.DELETE_SHARE_GROUP_OFFSETS, r -> group(AclOperation.DELETE,
                ((org.apache.kafka.common.requests.DeleteShareGroupOffsetsRequest) r).data().groupId()),
                "DELETE group; READ topic per topic (TOPIC_AUTHORIZATION_FAILED on the topic)");
        ROWS = Collections.unmodifiableMap(m);
    }

    private KafkaAuthorization() {
    }

    /** The row of {@code key}, or null: no row means refused (super-users aside). */
    static Row row(ApiKeys key) {
        return ROWS.get(key);
    }

    /** Kafka's error for a denial on a resource of {@code type}. */
    static Errors error(ResourceType type) {
        return switch (type) {
            case TOPIC -> Errors.TOPIC_AUTHORIZATION_FAILED;
            case GROUP -> Errors.GROUP_AUTHORIZATION_FAILED;
            case TRANSACTIONAL_ID -> Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            default -> Errors.CLUSTER_AUTHORIZATION_FAILED;
        };
    }

    private static void row(Map<ApiKeys, Row> m, ApiKeys key, Function<AbstractRequest, List<Check>> checks, String needs) {
        m.put(key, new Row(key, Kind.CHECKS, checks, needs));
    }

    private static void none(Map<ApiKeys, Row> m, ApiKeys key, String needs) {
        m.put(key, new Row(key, Kind.NONE, r -> List.of(), needs));
    }

    private static void filtered(Map<ApiKeys, Row> m, ApiKeys key, Function<AbstractRequest, List<Check>> checks, String needs) {
        m.put(key, new Row(key, Kind.FILTERED, checks, needs));
    }

    static Check cluster(AclOperation op) {
        return new Check(op, ResourceType.CLUSTER, Authorizer.CLUSTER);
    }

    private static Check topic(AclOperation op, String name) {
        return new Check(op, ResourceType.TOPIC, name);
    }

    private static List<Check> topics(AclOperation op, List<String> names) {
        return names.stream().distinct().map(n -> topic(op, n)).toList();
    }

    private static List<Check> group(AclOperation op, String group) {
        return List.of(new Check(op, ResourceType.GROUP, group));
    }

    private static Check config(AclOperation op, byte resourceType, String name) {
        ConfigResource.Type t = ConfigResource.Type.forId(resourceType);
        return switch (t) {
            case TOPIC -> topic(op, name);
            case GROUP -> new Check(op, ResourceType.GROUP, name);
            default -> cluster(op);
        };
    }

    private static List<Check> concat(List<Check> a, List<Check> b) {
        List<Check> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }
}
