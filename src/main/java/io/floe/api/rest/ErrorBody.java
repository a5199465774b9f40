package io.floe.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The body of every error answer, as the Confluent REST Proxy writes it. For an offset out of
 * range it also carries the valid range.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(int errorCode, String message, Long logStartOffset, Long endOffset) {

    public ErrorBody(int errorCode, String message) {
        this(errorCode, message, null, null);
    }
}
