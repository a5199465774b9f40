package io.floe.group;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A member asking to join a group with the classic (Kafka) protocol, in which one member, the
 * leader, computes the assignment and hands it to {@link GroupCoordinator#sync}.
 *
 * @param groupId          the group
 * @param memberId         the member's id, or {@code ""} for a new member (the engine assigns one;
 *                         see {@link GroupCoordinator#newMemberId} for KIP-394's MEMBER_ID_REQUIRED)
 * @param groupInstanceId  static membership id (KIP-345), or null
 * @param clientId         the client's id, shown by describe
 * @param clientHost       the client's address, shown by describe
 * @param sessionTimeout   the member is removed when no heartbeat arrives for this long
 * @param rebalanceTimeout how long a rebalance waits for the members to rejoin
 * @param protocolType     e.g. {@code consumer}; every member of a group must use the same
 * @param protocols        supported protocols, preferred first; at least one
 * @param topics           the topics the member subscribes to, if the caller can decode them from
 *                         the metadata (used for OffsetDelete checks and the operator view), else empty
 * @param reason           why the member (re)joins, for the log; may be null
 */
public record JoinRequest(
        String groupId,
        String memberId,
        String groupInstanceId,
        String clientId,
        String clientHost,
        Duration sessionTimeout,
        Duration rebalanceTimeout,
        String protocolType,
        List<Protocol> protocols,
        Set<String> topics,
        String reason) {
    public JoinRequest {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        rebalanceTimeout = rebalanceTimeout == null ? sessionTimeout : rebalanceTimeout;
        Objects.requireNonNull(protocolType, "protocolType");
        protocols = List.copyOf(protocols);
        topics = topics == null ? Set.of() : Set.copyOf(topics);
    }
}
