package io.floe.runtime.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.floe.api.rest.PlatformCaller;
import io.quarkus.vertx.http.runtime.QuarkusHttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The IAM caller of a function URL call: Quarkus' Lambda HTTP handler keeps the event's request context
 * with the request's headers, and AWS fills {@code requestContext.authorizer.iam.userArn} only after it
 * has verified the caller's SigV4 signature ({@code AWS_IAM} auth, as terraform/modules/floe-lambda sets).
 */
@Singleton
public class FunctionUrlCaller implements PlatformCaller {

    @Override
    public Optional<String> iamArn(HttpServerRequest request) {
        if (!(request.headers() instanceof QuarkusHttpHeaders headers)) {
            return Optional.empty();
        }
        Object context = headers.getContextObjects().get(APIGatewayV2HTTPEvent.RequestContext.class);
        if (!(context instanceof APIGatewayV2HTTPEvent.RequestContext rc) || rc.getAuthorizer() == null
                || rc.getAuthorizer().getIam() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(rc.getAuthorizer().getIam().getUserArn());
    }
}
