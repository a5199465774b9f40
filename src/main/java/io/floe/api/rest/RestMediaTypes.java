package io.floe.api.rest;

/** The media types of the Confluent REST Proxy v2 that Floe speaks. */
public final class RestMediaTypes {

    /** Produce/fetch with keys and values as JSON. */
    public static final String JSON_V2 = "application/vnd.kafka.json.v2+json";
    /** Produce/fetch with keys and values as base64. */
    public static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";
    /** Metadata answers of REST Proxy v2. */
    public static final String V2 = "application/vnd.kafka.v2+json";

    private RestMediaTypes() {
    }
}
