package io.floe.share;

import java.util.List;

/**
 * Acknowledgement of the records {@code firstOffset..lastOffset} (inclusive): one type for all of them,
 * or one type per offset, as Kafka's AcknowledgementBatch carries it.
 */
public record Acknowledgement(long firstOffset, long lastOffset, List<AckType> types) {

    public Acknowledgement {
        types = List.copyOf(types);
        if (lastOffset < firstOffset || firstOffset < 0) {
            throw new IllegalArgumentException("Acknowledged offsets " + firstOffset + ".." + lastOffset + " are not a range.");
        }
        if (types.size() != 1 && types.size() != lastOffset - firstOffset + 1) {
            throw new IllegalArgumentException("Acknowledgement of " + firstOffset + ".." + lastOffset + " has " + types.size()
                    + " types: give one for all, or one per offset.");
        }
    }

    public Acknowledgement(long firstOffset, long lastOffset, AckType type) {
        this(firstOffset, lastOffset, List.of(type));
    }

    /** The type for {@code offset} within the range. */
    AckType typeOf(long offset) {
        return types.size() == 1 ? types.getFirst() : types.get((int) (offset - firstOffset));
    }
}
