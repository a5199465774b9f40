package io.floe.log;

import java.time.Duration;
import java.util.List;

/**
 * A fetch of several partitions at once, as both front doors ask for it (Kafka's Fetch, the REST
 * consumer's records): answer as soon as at least {@code minBytes} are available, or wait up to
 * {@code maxWait} for the first partition to get data; fill partitions in request order up to
 * {@code maxBytes}, the first non-empty one always whole (a record larger than the limit still makes
 * progress). See {@link LogEngine#fetch(FetchRequest)}.
 *
 * @param partitions in the order the answer fills them
 * @param maxBytes   the answer's byte budget over all partitions ({@code <= 0}: unbounded)
 * @param minBytes   answer at once when at least this many bytes are available ({@code <= 1}: any)
 * @param maxWait    the longest wait for data ({@code 0}: answer at once)
 * @param isolation  read_committed reads stop at each partition's last stable offset and list the
 *                   aborted transactions of what they return
 */
public record FetchRequest(List<Partition> partitions, int maxBytes, int minBytes, Duration maxWait, IsolationLevel isolation) {

    /** One partition to read from {@code offset}, at most {@code maxBytes} (at least one batch). */
    public record Partition(String topic, int partition, long offset, int maxBytes) {
    }

    public FetchRequest {
        partitions = List.copyOf(partitions);
        maxWait = maxWait == null || maxWait.isNegative() ? Duration.ZERO : maxWait;
        isolation = isolation == null ? IsolationLevel.READ_UNCOMMITTED : isolation;
    }

    /** A read_uncommitted fetch (Kafka's default). */
    public FetchRequest(List<Partition> partitions, int maxBytes, int minBytes, Duration maxWait) {
        this(partitions, maxBytes, minBytes, maxWait, IsolationLevel.READ_UNCOMMITTED);
    }
}
