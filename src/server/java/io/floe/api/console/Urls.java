package io.floe.api.console;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * How a name (a group id, a topic, a "from" bookmark) goes into a console URL: the one home for it,
 * used by the templates as {@code {name.url}} and by the redirects after a form. A group id may hold
 * any character (spaces, '/', '?', '#', '%'), so every one that is not unreserved is percent-encoded,
 * a space as {@code %20} (valid in a path segment and in a query alike). Stateless.
 */
@TemplateExtension
final class Urls {

    private Urls() {
    }

    /** {@code name} percent-encoded as one path segment or one query value. */
    static String url(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
