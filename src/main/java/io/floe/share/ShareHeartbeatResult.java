package io.floe.share;

import java.util.List;
import java.util.SortedMap;

/**
 * The answer to a heartbeat: the member's epoch (-1 after leaving), how often to heartbeat, and its
 * assignment (topic name → partitions) when the member must learn it (it joined, or its epoch changed);
 * null when unchanged.
 */
public record ShareHeartbeatResult(String memberId, int memberEpoch, int heartbeatIntervalMs,
                                   SortedMap<String, List<Integer>> assignment) {
}
