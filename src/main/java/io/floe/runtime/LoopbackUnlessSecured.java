package io.floe.runtime;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Applies {@link ListenPolicy} to the REST port: {@code quarkus.http.host} reads as the loopback
 * address unless {@code floe.auth.enabled} or {@code floe.auth.anonymous} is true, so even the
 * container's {@code -Dquarkus.http.host=0.0.0.0} cannot expose an unauthenticated Floe. Registered
 * in META-INF/services; stateless.
 */
@Priority(Priorities.APPLICATION + 100)
public class LoopbackUnlessSecured implements ConfigSourceInterceptor {

    static final String HTTP_HOST = "quarkus.http.host";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!HTTP_HOST.equals(name) || value == null) {
            return value;
        }
        boolean auth = flag(context, "floe.auth.enabled");
        boolean anonymous = flag(context, "floe.auth.anonymous");
        String host = ListenPolicy.bindHost(value.getValue(), auth, anonymous);
        return host.equals(value.getValue()) ? value : value.withValue(host);
    }

    private static boolean flag(ConfigSourceInterceptorContext context, String name) {
        ConfigValue v = context.proceed(name);
        return v != null && v.getValue() != null && Boolean.parseBoolean(v.getValue().trim());
    }
}
