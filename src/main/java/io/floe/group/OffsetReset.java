package io.floe.group;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.Locale;

/** Where a member starts reading a partition that has no committed offset ({@code auto.offset.reset}). */
public enum OffsetReset {
    EARLIEST,
    LATEST,
    /** No default: reading such a partition fails with NO_OFFSET until a position is set. */
    NONE;

    /** Parses {@code earliest}, {@code latest} or {@code none} (any case); INVALID_REQUEST otherwise. */
    public static OffsetReset parse(String s) {
        if (s == null) {
            return LATEST;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "earliest", "smallest" -> EARLIEST;
            case "latest", "largest" -> LATEST;
            case "none" -> NONE;
            default -> throw new FloeException(ErrorCode.INVALID_REQUEST,
                    "auto.offset.reset = '" + s + "': expected earliest, latest or none.");
        };
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
