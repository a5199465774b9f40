package io.floe.api.rest;

import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * The caller's identity as the platform in front of Floe established it, when there is one: on AWS
 * Lambda, the IAM ARN of a function URL call that AWS authenticated ({@code AWS_IAM} auth). The REST
 * door maps it to a principal ({@link io.floe.auth.IamPrincipals}) when the request carries no HTTP
 * Basic credentials. Plain servers have none: this default answers empty; the Lambda build supplies
 * its own bean.
 */
public interface PlatformCaller {

    /** The IAM ARN of the caller, if the platform authenticated it. */
    Optional<String> iamArn(HttpServerRequest request);

    /** No platform identity (a container or a laptop). */
    @jakarta.inject.Singleton
    @io.quarkus.arc.DefaultBean
    final class None implements PlatformCaller {
        @Override
        public Optional<String> iamArn(HttpServerRequest request) {
            return Optional.empty();
        }
    }
}
