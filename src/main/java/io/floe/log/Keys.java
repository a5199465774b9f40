package io.floe.log;

/**
 * The bucket layout (docs/FORMAT.md has the picture). All keys are relative to the store's root.
 *
 * <pre>
 * cluster                                      cluster id, created once
 * topics/{name}                                topic metadata, compare-and-swapped
 * deleted-topics/{topicId}                     left by deletion, for background cleanup
 * data/{topicId}/commits/{sequence:%020d}      the topic's commit chain
 * data/{topicId}/checkpoints/{sequence:%020d}  summary of the chain up to that commit
 * segments/{epochMillis:%013d}-{writer}-{n}    one flush's data, many partitions of many topics
 * </pre>
 */
final class Keys {

    static final String CLUSTER = "cluster";
    static final String TOPICS = "topics/";

    private Keys() {
    }

    static String topic(String name) {
        return TOPICS + name;
    }

    static String deletedTopic(String topicId) {
        return "deleted-topics/" + topicId;
    }

    static String commitsPrefix(String topicId) {
        return "data/" + topicId + "/commits/";
    }

    static String commit(String topicId, long sequence) {
        return commitsPrefix(topicId) + String.format("%020d", sequence);
    }

    static String checkpointsPrefix(String topicId) {
        return "data/" + topicId + "/checkpoints/";
    }

    static String checkpoint(String topicId, long sequence) {
        return checkpointsPrefix(topicId) + String.format("%020d", sequence);
    }

    /** The sequence number at the end of a commit or checkpoint key. */
    static long sequenceOf(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
    }

    static String segment(long epochMillis, String writerId, long counter) {
        return String.format("segments/%013d-%s-%d", epochMillis, writerId, counter);
    }
}
