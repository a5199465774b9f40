package io.floe.model;

/** A fetch or seek outside {@code [logStartOffset, endOffset]}; carries the valid range. */
public final class OffsetOutOfRangeException extends FloeException {

    private final long logStartOffset;
    private final long endOffset;

    public OffsetOutOfRangeException(String topic, int partition, long offset, long logStartOffset, long endOffset) {
        super(ErrorCode.OFFSET_OUT_OF_RANGE,
                "Offset " + offset + " is out of range for partition " + partition + " of topic '" + topic
                        + "': valid offsets are " + logStartOffset + " (log start) to " + endOffset
                        + " (end of log, the next offset to be written).");
        this.logStartOffset = logStartOffset;
        this.endOffset = endOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long endOffset() {
        return endOffset;
    }
}
