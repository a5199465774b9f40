package io.floe.txn;

/**
 * The states of a transaction, as Kafka names them ({@code TransactionState} of Kafka's coordinator).
 *
 * <pre>
 *            AddPartitions / AddOffsets
 *   EMPTY ───────────────────────────────► ONGOING ──EndTxn(commit)──► PREPARE_COMMIT ──markers──► COMPLETE_COMMIT
 *     ▲  ▲                                  │  │                                                      │
 *     │  └─────── InitProducerId ◄──────────┼──┼───────── InitProducerId / AddPartitions ◄────────────┘
 *     │                                     │  └─EndTxn(abort), timeout, fencing─► PREPARE_ABORT ──markers──► COMPLETE_ABORT
 *     └──────────────────── InitProducerId ◄─────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * PREPARE_* are the commit points: once an object says PREPARE_COMMIT the transaction commits, whoever
 * finishes it. Floe needs no PREPARE_EPOCH_FENCE or DEAD: fencing is an abort at a bumped epoch, and a
 * transactional id's object is deleted, not marked dead (see docs/DECISIONS.md D42).
 */
public enum TxnState {
    EMPTY,
    ONGOING,
    PREPARE_COMMIT,
    PREPARE_ABORT,
    COMPLETE_COMMIT,
    COMPLETE_ABORT;

    /** PREPARE_COMMIT or PREPARE_ABORT: decided, markers possibly not all written. */
    public boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction is open or being finished: a new one may begin. */
    public boolean idle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    /** Kafka's name, as DescribeTransactions and ListTransactions report it. */
    public String kafkaName() {
        return switch (this) {
            case EMPTY -> "Empty";
            case ONGOING -> "Ongoing";
            case PREPARE_COMMIT -> "PrepareCommit";
            case PREPARE_ABORT -> "PrepareAbort";
            case COMPLETE_COMMIT -> "CompleteCommit";
            case COMPLETE_ABORT -> "CompleteAbort";
        };
    }
}
