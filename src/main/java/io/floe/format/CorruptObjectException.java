package io.floe.format;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;

/** An object in the bucket does not parse as the format its key promises. */
public final class CorruptObjectException extends FloeException {
    public CorruptObjectException(String message) {
        super(ErrorCode.CORRUPT_OBJECT, message);
    }
}
