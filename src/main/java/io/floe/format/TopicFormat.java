package io.floe.format;

import io.floe.model.Topic;

/** Topic metadata objects and the cluster object, as small versioned JSON documents. */
public final class TopicFormat {

    private TopicFormat() {
    }

    public static byte[] encode(Topic topic) {
        throw new UnsupportedOperationException("TODO");
    }

    public static Topic decode(byte[] object) {
        throw new UnsupportedOperationException("TODO");
    }

    public static byte[] encodeCluster(String clusterId, long createdAtMs) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The cluster id in a cluster object. */
    public static String decodeClusterId(byte[] object) {
        throw new UnsupportedOperationException("TODO");
    }
}
