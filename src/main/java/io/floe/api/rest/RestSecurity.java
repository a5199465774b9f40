package io.floe.api.rest;

import io.floe.auth.Authorizer;
import io.floe.auth.Principal;
import io.floe.auth.Security;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The REST front door's security: HTTP Basic checked against the same users as SASL (401 with the
 * REST error body when missing or wrong) or, without Basic credentials, the IAM caller that AWS
 * authenticated for a Lambda function URL ({@link PlatformCaller}, {@link io.floe.auth.IamPrincipals}), then the rule of the matched endpoint
 * ({@link RestAuthorization}) through the one {@link Authorizer} (403). Without authentication every
 * request is the anonymous principal and passes. Never logs or echoes a credential. Thread-safe.
 */
@Singleton
public class RestSecurity {

    static final String REALM = "Basic realm=\"floe\", charset=\"UTF-8\"";

    /** Resolved on first use: filters are built at static init, before Floe's settings exist. */
    private final jakarta.inject.Provider<Security> securityProvider;
    private final RestPrincipal current;
    private volatile Security security;

    private final PlatformCaller platform;

    RestSecurity(jakarta.inject.Provider<Security> security, RestPrincipal current, PlatformCaller platform) {
        this.securityProvider = security;
        this.current = current;
        this.platform = platform;
    }

    private Security security() {
        Security s = security;
        if (s == null) {
            s = securityProvider.get();
            security = s;
        }
        return s;
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext ctx, ResourceInfo resource, HttpServerRequest http) {
        String host = http.remoteAddress() == null ? "" : http.remoteAddress().hostAddress();
        Principal principal = Principal.ANONYMOUS;
        Optional<Principal> certificate = certificatePrincipal(http);
        if (certificate.isPresent()) {
            principal = certificate.get(); // mutual TLS: the client certificate's subject, as on the Kafka port
        } else if (security().required()) {
            String authorization = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
            Optional<Principal> p = authorization == null ? platformPrincipal(http) : authenticate(authorization, host);
            if (p.isEmpty()) {
                return Optional.of(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, REALM)
                        .entity(new ErrorBody(40101, "Authentication required: send HTTP Basic credentials of a Floe user"))
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
            }
            principal = p.get();
        }
        current.set(principal, host);
        if (resource == null || resource.getResourceMethod() == null) {
            return Optional.empty(); // no endpoint matched: the 404 says nothing about any resource
        }
        String key = resource.getResourceClass().getSimpleName() + "." + resource.getResourceMethod().getName();
        RestAuthorization.Rule rule = RestAuthorization.RULES.get(key);
        if (rule == null) {
            return deny(principal, host, AclOperation.ALL, ResourceType.CLUSTER, Authorizer.CLUSTER);
        }
        if (rule.none() || rule.filtered()) {
            return Optional.empty();
        }
        String name = rule.param() == null ? Authorizer.CLUSTER : ctx.getUriInfo().getPathParameters().getFirst(rule.param());
        if (name == null || security().authorizer().authorize(principal, host, rule.op(), rule.type(), name)) {
            return Optional.empty();
        }
        return Optional.of(forbidden(principal, rule.op(), rule.type(), name));
    }

    private Optional<Response> deny(Principal p, String host, AclOperation op, ResourceType type, String name) {
        return security().authorizer().authorize(p, host, op, type, name) ? Optional.empty() : Optional.of(forbidden(p, op, type, name));
    }

    private static Response forbidden(Principal p, AclOperation op, ResourceType type, String name) {
        return Response.status(403).entity(new ErrorBody(40301, p + " is not authorized to " + op + " " + type + " '" + name + "'"))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Optional<Principal> certificatePrincipal(HttpServerRequest http) {
        try {
            if (http.isSSL() && http.sslSession() != null) {
                return Optional.of(Principal.user(http.sslSession().getPeerPrincipal().getName()));
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            // no client certificate
        }
        return Optional.empty();
    }

    /** The IAM caller of a Lambda function URL, as a principal (an ARN that is no IAM identity counts as none). */
    private Optional<Principal> platformPrincipal(HttpServerRequest http) {
        return platform.iamArn(http).flatMap(io.floe.auth.IamPrincipals::of);
    }

    private Optional<Principal> authenticate(String authorization, String host) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            security().authenticator().failed(host, null, "HTTP Basic");
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        if (colon > 0 && security().authenticator().checkPassword(user, password)) {
            return Optional.of(Principal.user(user));
        }
        security().authenticator().failed(host, user, "HTTP Basic");
        return Optional.empty();
    }

    /** Whether the current request's principal may {@code op} the resource (audited when not); for checks inside a method. */
    boolean allowed(AclOperation op, ResourceType type, String name) {
        return security().authorizer().authorize(current.principal(), current.host(), op, type, name);
    }

    /** Like {@link #allowed} without the audit line: for filtering listings. */
    boolean mayDescribe(ResourceType type, String name) {
        return security().authorizer().allowed(current.principal(), current.host(), AclOperation.DESCRIBE, type, name);
    }

    /** Throws 403 unless allowed. */
    void require(AclOperation op, ResourceType type, String name) {
        if (!allowed(op, type, name)) {
            throw new RestException(403, 40301, current.principal() + " is not authorized to " + op + " " + type + " '" + name + "'");
        }
    }
}
