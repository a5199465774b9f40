package io.floe.share;

import java.util.List;

/**
 * A share group heartbeat (Kafka ShareGroupHeartbeat): {@code memberEpoch} 0 joins, -1 leaves, else the
 * epoch the member last received. {@code topics} null means "unchanged since the last heartbeat".
 */
public record ShareHeartbeat(String groupId, String memberId, int memberEpoch, String clientId, String clientHost,
                             String rackId, List<String> topics) {

    public static final int JOIN = 0;
    public static final int LEAVE = -1;

    public ShareHeartbeat {
        topics = topics == null ? null : List.copyOf(topics);
    }
}
