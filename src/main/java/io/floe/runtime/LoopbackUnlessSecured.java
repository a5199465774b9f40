package io.floe.runtime;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Floe's settings applied to Quarkus' HTTP server, in one place. {@link ListenPolicy}:
 * {@code quarkus.http.host} reads as the loopback address unless {@code floe.auth.enabled} or
 * {@code floe.auth.anonymous} is true, so even the container's {@code -Dquarkus.http.host=0.0.0.0}
 * cannot expose an unauthenticated Floe. TLS: when {@code floe.tls.certificate-file} is set, the REST
 * port serves HTTPS only, from the same PEM files as the Kafka port (re-read every 30 s, Quarkus' minimum), and with
 * {@code floe.tls.client-ca-file} requires client certificates. Registered in META-INF/services;
 * stateless.
 */
@Priority(Priorities.APPLICATION + 100)
public class LoopbackUnlessSecured implements ConfigSourceInterceptor {

    static final String HTTP_HOST = "quarkus.http.host";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (name.startsWith("quarkus.http.")) {
            String tls = tls(context, name);
            if (tls != null) {
                return ConfigValue.builder().withName(name).withValue(tls).withConfigSourceName("floe.tls")
                        .withConfigSourceOrdinal(Integer.MAX_VALUE).build();
            }
        }
        ConfigValue value = context.proceed(name);
        if (!HTTP_HOST.equals(name) || value == null) {
            return value;
        }
        boolean auth = flag(context, "floe.auth.enabled");
        boolean anonymous = flag(context, "floe.auth.anonymous");
        String host = ListenPolicy.bindHost(value.getValue(), auth, anonymous);
        return host.equals(value.getValue()) ? value : value.withValue(host);
    }

    /** The Quarkus HTTP setting that floe.tls.* implies, or null. */
    private static String tls(ConfigSourceInterceptorContext context, String name) {
        String cert = text(context, "floe.tls.certificate-file");
        if (cert == null) {
            return null;
        }
        String ca = text(context, "floe.tls.client-ca-file");
        return switch (name) {
            case "quarkus.http.ssl.certificate.files" -> cert;
            case "quarkus.http.ssl.certificate.key-files" -> text(context, "floe.tls.key-file");
            case "quarkus.http.ssl.certificate.reload-period" -> "30s"; // Quarkus' minimum
            case "quarkus.http.ssl.certificate.trust-store-files" -> ca;
            case "quarkus.http.ssl.certificate.trust-store-file-type" -> ca == null ? null : "PEM";
            case "quarkus.http.ssl.client-auth" -> ca == null ? null : "REQUIRED";
            case "quarkus.http.insecure-requests" -> "disabled";
            // HTTPS where HTTP was: one REST port, encrypted.
            case "quarkus.http.ssl-port" -> text(context, "quarkus.http.port");
            case "quarkus.http.test-ssl-port" -> text(context, "quarkus.http.test-port");
            default -> null;
        };
    }

    private static String text(ConfigSourceInterceptorContext context, String name) {
        ConfigValue v = context.proceed(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue().trim();
    }

    private static boolean flag(ConfigSourceInterceptorContext context, String name) {
        ConfigValue v = context.proceed(name);
        return v != null && v.getValue() != null && Boolean.parseBoolean(v.getValue().trim());
    }
}
