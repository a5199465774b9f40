package io.floe.auth;

/**
 * Who a connection or request acts as, in Kafka's form {@code type:name} ({@code User:alice},
 * {@code User:CN=client1,O=Acme} for a TLS client certificate). One per connection or request.
 */
public record Principal(String type, String name) {

    /** The principal of an unauthenticated client when authentication is off (Kafka's name for it). */
    public static final Principal ANONYMOUS = new Principal("User", "ANONYMOUS");

    public Principal {
        if (type == null || type.isEmpty() || type.contains(":") || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a principal is type:name, e.g. User:alice");
        }
    }

    public static Principal user(String name) {
        return new Principal("User", name);
    }

    /** Parses {@code type:name} (the name may contain colons). */
    public static Principal parse(String s) {
        int colon = s == null ? -1 : s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + s + "' is not a principal: expected type:name, e.g. User:alice");
        }
        return new Principal(s.substring(0, colon), s.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type + ":" + name;
    }
}
