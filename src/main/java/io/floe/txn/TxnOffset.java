package io.floe.txn;

/**
 * An offset committed inside a transaction (TxnOffsetCommit), pending until the transaction commits.
 *
 * @param offset      the next offset the group will read (>= 0)
 * @param leaderEpoch Kafka's committed leader epoch, kept verbatim; -1 when unknown
 * @param metadata    the client's free-form metadata; never null
 */
public record TxnOffset(long offset, int leaderEpoch, String metadata) {
    public TxnOffset {
        metadata = metadata == null ? "" : metadata;
    }
}
