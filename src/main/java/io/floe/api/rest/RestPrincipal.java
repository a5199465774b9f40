package io.floe.api.rest;

import io.floe.auth.Principal;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who the current REST request acts as, and from where: set by {@link RestSecurity} before the
 * resource method runs. One per request (request-scoped).
 */
@RequestScoped
public class RestPrincipal {

    private Principal principal = Principal.ANONYMOUS;
    private String host = "";

    void set(Principal principal, String host) {
        this.principal = principal;
        this.host = host;
    }

    public Principal principal() {
        return principal;
    }

    public String host() {
        return host;
    }
}
