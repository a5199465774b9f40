package io.floe.api.kafka;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The APIs and versions the listener answers. Lowest versions are what the kafka-clients 4.3.1 message
 * classes parse (which covers kafka-python 2.0.2's choices); highest versions stop where a newer
 * version would need something Floe does not have (topic ids in Produce v13, Fetch v13,
 * OffsetCommit/OffsetFetch v10). Everything else is answered with UNSUPPORTED_VERSION. Immutable.
 */
final class ApiTable {

    private static final Map<ApiKeys, Short> MAX;

    static {
        Map<ApiKeys, Short> m = new EnumMap<>(ApiKeys.class);
        m.put(ApiKeys.API_VERSIONS, (short) 4);
        m.put(ApiKeys.METADATA, (short) 12);
        m.put(ApiKeys.PRODUCE, (short) 12);
        m.put(ApiKeys.FETCH, (short) 12);
        m.put(ApiKeys.LIST_OFFSETS, (short) 10);
        m.put(ApiKeys.CREATE_TOPICS, (short) 7);
        m.put(ApiKeys.DELETE_TOPICS, (short) 6);
        m.put(ApiKeys.CREATE_PARTITIONS, (short) 3);
        m.put(ApiKeys.DESCRIBE_CONFIGS, (short) 4);
        m.put(ApiKeys.ALTER_CONFIGS, (short) 2);
        m.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 1);
        m.put(ApiKeys.DESCRIBE_CLUSTER, (short) 1);
        m.put(ApiKeys.FIND_COORDINATOR, (short) 6);
        m.put(ApiKeys.INIT_PRODUCER_ID, (short) 5);
        m.put(ApiKeys.DELETE_RECORDS, (short) 2);
        m.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (short) 4);
        m.put(ApiKeys.GET_TELEMETRY_SUBSCRIPTIONS, (short) 0);
        MAX = m;
    }

    /** SASL authentication, answered when authentication is on. */
    static final Map<ApiKeys, Short> SASL = Map.of(ApiKeys.SASL_HANDSHAKE, (short) 1, ApiKeys.SASL_AUTHENTICATE, (short) 2);
    /** ACLs and SCRAM users (kafka-acls.sh, kafka-configs.sh --entity-type users, which also asks for quotas: none). */
    static final Map<ApiKeys, Short> SECURITY_ADMIN = Map.of(ApiKeys.CREATE_ACLS, (short) 3, ApiKeys.DESCRIBE_ACLS, (short) 3,
            ApiKeys.DELETE_ACLS, (short) 3, ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, (short) 0,
            ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, (short) 0, ApiKeys.DESCRIBE_CLIENT_QUOTAS, (short) 1);

    private final Map<ApiKeys, Short> max;

    private ApiTable(Map<ApiKeys, Short> max) {
        this.max = Collections.unmodifiableMap(max);
    }

    /** The table without the consumer-group APIs. */
    static ApiTable withoutGroups() {
        return new ApiTable(new EnumMap<>(MAX));
    }

    /** The table plus the given APIs (the group APIs once a group engine is wired). */
    ApiTable plus(Map<ApiKeys, Short> more) {
        Map<ApiKeys, Short> m = new EnumMap<>(max);
        m.putAll(more);
        return new ApiTable(m);
    }

    boolean supports(ApiKeys key, short version) {
        Short top = max.get(key);
        return top != null && version >= key.oldestVersion() && version <= top;
    }

    ApiVersionsResponseData apiVersions(Errors error) {
        ApiVersionsResponseData.ApiVersionCollection keys = new ApiVersionsResponseData.ApiVersionCollection();
        max.forEach((k, top) -> keys.add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(k.id).setMinVersion(k.oldestVersion()).setMaxVersion(top)));
        return new ApiVersionsResponseData().setErrorCode(error.code()).setApiKeys(keys).setThrottleTimeMs(0);
    }

    Map<ApiKeys, Short> versions() {
        return max;
    }
}
