package io.floe.api.console;

import io.floe.api.rest.ErrorMapping;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** How console endpoints answer: a rendered page with a status, a redirect after a successful form, a page for what is gone. Stateless. */
final class Pages {

    private Pages() {
    }

    static Response html(int status, TemplateInstance page) {
        return Response.status(status).type("text/html;charset=utf-8").entity(page.render()).build();
    }

    static Response ok(TemplateInstance page) {
        return html(200, page);
    }

    /** After a POST that worked: the browser GETs {@code path} (Post/Redirect/Get). */
    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    /** The HTTP status of a refused form: what the REST API answers for the same error. */
    static int status(FloeException e) {
        return ErrorMapping.httpError(e.code()).status();
    }

    static boolean isGone(FloeException e) {
        return e.code() == ErrorCode.UNKNOWN_TOPIC || e.code() == ErrorCode.UNKNOWN_GROUP;
    }
}
