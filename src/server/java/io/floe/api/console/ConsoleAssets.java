package io.floe.api.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's scripts and styles, served under {@code /ui/assets} from the jars Maven brought in
 * (htmx and uPlot as WebJars) and from Floe's own resources: a page never loads anything from
 * another host, and one filter on {@code /ui} covers every console request. Only the files listed
 * here are served. Thread-safe: the cache is a concurrent map of immutable byte arrays.
 */
@Path("/ui/assets")
public class ConsoleAssets {

    private record Asset(String resource, String type) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            "htmx.min.js", new Asset("META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js", "text/javascript"),
            "uPlot.iife.min.js", new Asset("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "text/javascript"),
            "uPlot.min.css", new Asset("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css", "text/css"),
            "console.js", new Asset("console/console.js", "text/javascript"),
            "console.css", new Asset("console/console.css", "text/css"));

    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    @GET
    @Path("{file}")
    public Response asset(@PathParam("file") String file) {
        Asset a = ASSETS.get(file);
        if (a == null) {
            return Response.status(404).type("text/plain").entity("No console asset '" + file + "'.").build();
        }
        byte[] body = loaded.computeIfAbsent(file, f -> read(a.resource()));
        CacheControl cache = new CacheControl();
        cache.setMaxAge(3600);
        return Response.ok(body, a.type() + ";charset=utf-8").cacheControl(cache).build();
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Console asset missing from the class path: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
