package io.floe.group;

/** The states of a group, named as Kafka names them (DescribeGroups, ListGroups). */
public enum GroupState {
    /** No members; may still hold committed offsets. */
    EMPTY("Empty"),
    /** Membership changed; waiting for the members to rejoin (classic protocol). */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** The generation is formed; waiting for the leader's assignment (classic protocol). */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Consumer protocol (KIP-848): some members have not reached the target assignment yet. */
    RECONCILING("Reconciling"),
    /** Every member has its assignment. */
    STABLE("Stable"),
    /** The group does not exist (deleted, or never created). */
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka's tools print: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead. */
    public String kafkaName() {
        return kafkaName;
    }
}
