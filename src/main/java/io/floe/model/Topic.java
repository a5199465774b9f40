package io.floe.model;

import java.util.regex.Pattern;

/**
 * A topic's metadata as stored in the bucket. {@code id} is assigned at creation and never reused,
 * so that a topic deleted and created again under the same name never sees the old data.
 */
public record Topic(String name, String id, int partitions, TopicConfig config, long createdAtMs) {

    public static final int MAX_NAME_LENGTH = 249;
    public static final int MAX_PARTITIONS = 10_000;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    public Topic {
        validateName(name);
        validatePartitions(partitions);
    }

    /** Kafka's rules: 1 to 249 of {@code [a-zA-Z0-9._-]}, and not "." or "..". */
    public static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new FloeException(ErrorCode.INVALID_TOPIC_NAME, "Topic name is empty.");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new FloeException(ErrorCode.INVALID_TOPIC_NAME,
                    "Topic name is " + name.length() + " characters long; the maximum is " + MAX_NAME_LENGTH + ".");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new FloeException(ErrorCode.INVALID_TOPIC_NAME, "Topic name cannot be '.' or '..'.");
        }
        if (!LEGAL.matcher(name).matches()) {
            throw new FloeException(ErrorCode.INVALID_TOPIC_NAME,
                    "Topic name '" + name + "' is illegal: use only ASCII letters, digits, '.', '_' and '-'.");
        }
    }

    public static void validatePartitions(int partitions) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new FloeException(ErrorCode.INVALID_PARTITIONS,
                    "Partition count must be between 1 and " + MAX_PARTITIONS + ", got " + partitions + ".");
        }
    }

    public void checkPartition(int partition) {
        if (partition < 0 || partition >= partitions) {
            throw FloeException.unknownPartition(name, partition, partitions);
        }
    }

    public Topic withPartitions(int count) {
        return new Topic(name, id, count, config, createdAtMs);
    }

    public Topic withConfig(TopicConfig newConfig) {
        return new Topic(name, id, partitions, newConfig, createdAtMs);
    }
}
