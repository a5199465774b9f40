package io.floe.api.console;

import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's topic pages: the list with a create form, and one topic's partitions, offsets and
 * configs with the forms that change them. Each action calls the same engine method as the REST
 * API's v3 topic admin and shows its error message next to the form. Runs on worker threads.
 */
@Path("/ui")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class TopicPages {

    /** One row of the topic list. */
    public record TopicRow(String name, int partitions, int overriddenConfigs) {
    }

    /** One config of a topic: its value and whether that is the default. */
    public record ConfigRow(String name, String value, boolean isDefault, String defaultValue) {
    }

    /** A partition's offsets and how many records it holds. */
    public record PartitionRow(int partition, long start, long end, long records) {
    }

    private final LogEngine engine;
    private final Listings listings;
    private final Template topics;
    private final Template topic;
    private final Template gone;

    TopicPages(LogEngine engine, Listings listings, @Location("console/topics.html") Template topics,
               @Location("console/topic.html") Template topic, @Location("console/gone.html") Template gone) {
        this.engine = engine;
        this.listings = listings;
        this.topics = topics;
        this.topic = topic;
        this.gone = gone;
    }

    @GET
    public Response home() {
        return Pages.seeOther("/ui/topics");
    }

    @GET
    @Path("topics")
    public Response list(@QueryParam("deleted") String deleted, @QueryParam("from") String from) {
        return topicList(200, null, "", "1", "", deleted, from);
    }

    @POST
    @Path("topics")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("name") String name, @FormParam("partitions") String partitions,
                           @FormParam("configs") String configs) {
        try {
            if (Forms.blank(name)) {
                throw FloeException.invalid("'name' is required.");
            }
            int count = Forms.blank(partitions) ? 1 : Forms.integer("partitions", partitions);
            Topic t = engine.createTopic(name.trim(), count, Forms.pairs("configs", configs));
            listings.topicChanged(t.name());
            return Pages.seeOther("/ui/topics/" + Urls.url(t.name()));
        } catch (FloeException e) {
            return topicList(Pages.status(e), e.getMessage(), name, partitions, configs, null, null);
        }
    }

    private Response topicList(int status, String error, String name, String partitions, String configs, String deleted,
                               String from) {
        List<String> names = listings.topicNames();
        ListPage page = ListPage.of(names, from);
        List<TopicRow> rows = listings.topics(page.shown()).stream()
                .map(t -> new TopicRow(t.name(), t.partitions(), (int) TopicConfig.names().stream()
                        .filter(n -> !t.config().isDefault(n)).count()))
                .toList();
        return Pages.html(status, topics.data("page", "topics").data("topics", rows).data("list", page).data("fresh", listings.maxAgeSeconds()).data("error", error)
                .data("name", name == null ? "" : name).data("partitions", partitions == null ? "1" : partitions)
                .data("configs", configs == null ? "" : configs).data("deleted", deleted));
    }

    @GET
    @Path("topics/{topic}")
    public Response show(@PathParam("topic") String name) {
        return topicPage(200, name, null, null);
    }

    @POST
    @Path("topics/{topic}/partitions")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addPartitions(@PathParam("topic") String name, @FormParam("count") String count) {
        try {
            engine.createPartitions(name, Forms.integer("count", count));
            listings.topicChanged(name);
            return Pages.seeOther("/ui/topics/" + Urls.url(name));
        } catch (FloeException e) {
            return failed(name, "partitions", e);
        }
    }

    @POST
    @Path("topics/{topic}/configs")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setConfig(@PathParam("topic") String name, @FormParam("config") String config,
                              @FormParam("value") String value, @FormParam("action") String action) {
        try {
            if (Forms.blank(config)) {
                throw FloeException.invalid("'config' is required.");
            }
            if ("reset".equals(action)) {
                engine.alterConfigs(name, Map.of(), Set.of(config));
            } else {
                if (value == null) {
                    throw FloeException.invalid("Config '" + config + "': a value is required; use Reset to go back to the default.");
                }
                engine.alterConfigs(name, Map.of(config, value.trim()), Set.of());
            }
            listings.topicChanged(name);
            return Pages.seeOther("/ui/topics/" + Urls.url(name));
        } catch (FloeException e) {
            return failed(name, "configs", e);
        }
    }

    @POST
    @Path("topics/{topic}/delete")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("topic") String name, @FormParam("confirm") String confirm) {
        try {
            if (!name.equals(confirm == null ? null : confirm.trim())) {
                throw FloeException.invalid("Deleting removes every record of '" + name
                        + "'. Type the topic's name to confirm.");
            }
            engine.deleteTopic(name);
            listings.topicChanged(name);
            return Pages.seeOther("/ui/topics?deleted=" + Urls.url(name));
        } catch (FloeException e) {
            return failed(name, "delete", e);
        }
    }

    private Response failed(String name, String form, FloeException e) {
        if (Pages.isGone(e)) {
            return goneTopic(name);
        }
        return topicPage(Pages.status(e), name, form, e.getMessage());
    }

    private Response topicPage(int status, String name, String form, String error) {
        Topic t;
        List<PartitionOffsets> offsets;
        try {
            t = engine.topic(name);
            offsets = engine.offsets(name);
        } catch (FloeException e) {
            if (Pages.isGone(e)) {
                return goneTopic(name);
            }
            throw e;
        }
        List<PartitionRow> partitions = offsets.stream()
                .map(o -> new PartitionRow(o.partition(), o.logStartOffset(), o.endOffset(), o.endOffset() - o.logStartOffset()))
                .toList();
        List<ConfigRow> configs = TopicConfig.names().stream()
                .map(n -> new ConfigRow(n, t.config().get(n), t.config().isDefault(n), TopicConfig.defaultValue(n)))
                .toList();
        return Pages.html(status, topic.data("page", "topics").data("topic", t).data("partitions", partitions)
                .data("configs", configs).data("form", form == null ? "" : form).data("error", error)
                .data("records", partitions.stream().mapToLong(PartitionRow::records).sum()));
    }

    Response goneTopic(String name) {
        return Pages.html(404, gone.data("page", "topics").data("kind", "Topic").data("name", name)
                .data("back", "/ui/topics").data("backLabel", "All topics"));
    }
}
