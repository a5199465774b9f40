package io.floe.group;

import io.floe.model.TopicPartition;
import java.util.List;

/**
 * What one member is assigned: the bytes its clients understand (Kafka's consumer protocol
 * assignment, handed back verbatim by sync and describe), and the partitions they name if the
 * caller could decode them. The engine uses {@code partitions} to check commits, to show owners in
 * the operator view and for lag; it never parses {@code bytes}.
 */
public record MemberAssignment(byte[] bytes, List<TopicPartition> partitions) {
    public static final MemberAssignment EMPTY = new MemberAssignment(new byte[0], List.of());

    public MemberAssignment {
        bytes = bytes == null ? new byte[0] : bytes;
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }
}
