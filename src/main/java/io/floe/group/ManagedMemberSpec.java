package io.floe.group;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to create a Floe-managed member (REST {@code POST /consumers/{group}}).
 *
 * @param name           the member id wanted (REST instance name); must be unique in the group
 * @param sessionTimeout the member is removed when it makes no call for this long; null: the default
 * @param assignor       {@code range}, {@code roundrobin} or {@code sticky}; null: {@code range}
 * @param properties     opaque front-door settings stored with the member
 */
public record ManagedMemberSpec(
        String name,
        String clientId,
        String clientHost,
        Duration sessionTimeout,
        String assignor,
        OffsetReset reset,
        boolean autoCommit,
        Map<String, String> properties) {
    public ManagedMemberSpec {
        Objects.requireNonNull(name, "name");
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        reset = reset == null ? OffsetReset.LATEST : reset;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
