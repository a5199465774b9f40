package io.floe.group;

import io.floe.log.LogEngine;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.util.HashMap;
import java.util.Map;

/**
 * What the group engine asks the log about topics: partition counts for managed assignment and
 * whether a committed partition exists. A deleted topic is an answer, not an error. Thread-safe
 * (stateless over the thread-safe {@link LogEngine}).
 */
final class Topics {

    private final LogEngine log;

    Topics(LogEngine log) {
        this.log = log;
    }

    /** Partition counts of the topics the group's managed and consumer-protocol members subscribe to (absent: deleted topic). */
    Map<String, Integer> partitionCounts(GroupDoc doc) {
        Map<String, Integer> out = new HashMap<>();
        for (GroupDoc.Member m : doc.members.values()) {
            if (!m.isManaged() && m.consumer == null) {
                continue;
            }
            for (String t : m.topics) {
                if (!out.containsKey(t)) {
                    try {
                        out.put(t, log.topic(t).partitions());
                    } catch (FloeException e) {
                        if (e.code() != ErrorCode.UNKNOWN_TOPIC) {
                            throw e;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The names of every topic (for subscriptions by regular expression). */
    java.util.Collection<String> names() {
        return log.listTopics().stream().map(io.floe.model.Topic::name).toList();
    }

    /** A topic's partition count, or null when it does not exist. */
    Integer partitionCount(String topic) {
        try {
            return log.topic(topic).partitions();
        } catch (FloeException e) {
            if (e.code() != ErrorCode.UNKNOWN_TOPIC) {
                throw e;
            }
            return null;
        }
    }

    /** UNKNOWN_TOPIC or UNKNOWN_PARTITION, or null when {@code tp} exists. */
    ErrorCode topicError(TopicPartition tp) {
        try {
            var t = log.topic(tp.topic());
            return tp.partition() >= 0 && tp.partition() < t.partitions() ? null : ErrorCode.UNKNOWN_PARTITION;
        } catch (FloeException e) {
            if (e.code() == ErrorCode.UNKNOWN_TOPIC) {
                return ErrorCode.UNKNOWN_TOPIC;
            }
            throw e;
        }
    }
}
