package io.floe.log;

import java.util.List;

/**
 * The answer to a {@link FetchRequest}: one entry per requested partition, in request order, each
 * either a {@link FetchResult} (possibly without batches: nothing new, or over the byte budget) or
 * the failure that partition met (unknown topic, offset out of range, store unavailable…), which the
 * front door maps to its own error.
 */
public record FetchResponse(List<Partition> partitions) {

    /** Exactly one of {@code result} and {@code error} is set. */
    public record Partition(FetchRequest.Partition request, FetchResult result, Throwable error) {

        public boolean failed() {
            return error != null;
        }

        public int sizeInBytes() {
            return result == null ? 0 : result.sizeInBytes();
        }
    }

    public FetchResponse {
        partitions = List.copyOf(partitions);
    }
}
