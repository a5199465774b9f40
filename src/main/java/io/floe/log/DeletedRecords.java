package io.floe.log;

import io.floe.model.FloeException;
import java.util.Map;

/**
 * What a DeleteRecords did, per partition: the log start offset (low watermark) after it, or why the
 * partition was refused.
 */
public record DeletedRecords(Map<Integer, Long> logStartOffsets, Map<Integer, FloeException> errors) {

    public DeletedRecords {
        logStartOffsets = Map.copyOf(logStartOffsets);
        errors = Map.copyOf(errors);
    }
}
