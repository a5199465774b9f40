package io.floe.store;

/** The kinds of request an {@link ObjectStore} serves; S3 bills and throttles by these. */
public enum Operation {
    GET, RANGE_GET, PUT, CREATE_IF_ABSENT, REPLACE_IF_MATCH, LIST, DELETE;

    /** True for the operations that change the bucket. */
    public boolean isWrite() {
        return this == PUT || this == CREATE_IF_ABSENT || this == REPLACE_IF_MATCH || this == DELETE;
    }

    /** True for the writes that carry a precondition and can lose a race. */
    public boolean isConditional() {
        return this == CREATE_IF_ABSENT || this == REPLACE_IF_MATCH;
    }
}
