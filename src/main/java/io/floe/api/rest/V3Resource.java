package io.floe.api.rest;

import io.floe.log.LogEngine;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.model.TopicConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Topic administration in the shape of the REST Proxy v3 API. Floe is one virtual cluster (its id
 * is stored in the bucket) with one virtual broker, 0, that leads every partition: the bucket is
 * the replication. Methods block on the engine and run on worker threads.
 */
@Path("/v3/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Topic admin (REST Proxy v3)")
public class V3Resource {

    private final LogEngine engine;

    private final RestSecurity security;

    V3Resource(LogEngine engine, RestSecurity security) {
        this.security = security;
        this.engine = engine;
    }

    @GET
    @Operation(summary = "The one cluster")
    public V3.ResourceList<V3.Cluster> clusters(@Context UriInfo uri) {
        Links l = new Links(uri, engine.clusterId());
        return new V3.ResourceList<>("KafkaClusterList", new V3.ListMetadata(l.base + "v3/clusters", null), List.of(l.cluster()));
    }

    @GET
    @Path("{cluster}")
    public V3.Cluster cluster(@PathParam("cluster") String cluster, @Context UriInfo uri) {
        return links(uri, cluster).cluster();
    }

    @GET
    @Path("{cluster}/topics")
    @Operation(summary = "All topics")
    public V3.ResourceList<V3.Topic> topics(@PathParam("cluster") String cluster, @Context UriInfo uri) {
        Links l = links(uri, cluster);
        return new V3.ResourceList<>("KafkaTopicList", new V3.ListMetadata(l.cluster + "/topics", null),
                engine.listTopics().stream().filter(t -> security.mayDescribe(
                        org.apache.kafka.common.resource.ResourceType.TOPIC, t.name())).map(l::topic).toList());
    }

    @POST
    @Path("{cluster}/topics")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a topic")
    public Response createTopic(@PathParam("cluster") String cluster, V3.CreateTopic body, @Context UriInfo uri) {
        Links l = links(uri, cluster);
        if (body == null) {
            throw RestException.badRequest("The request body is missing; send {\"topic_name\":…,\"partitions_count\":…}.");
        }
        if (body.topicName() == null) {
            throw FloeException.invalid("'topic_name' is required.");
        }
        Integer rf = body.replicationFactor();
        if (rf != null && rf != -1 && rf < 1) {
            throw FloeException.invalid("'replication_factor' must be -1 or at least 1, got " + rf
                    + "; Floe keeps one copy in the bucket whatever the value.");
        }
        Map<String, String> configs = new LinkedHashMap<>();
        if (body.configs() != null) {
            for (V3.ConfigValue c : body.configs()) {
                if (c == null || c.name() == null) {
                    throw FloeException.invalid("Every entry of 'configs' needs a 'name'.");
                }
                if (c.value() != null) {
                    configs.put(c.name(), c.value());
                }
            }
        }
        Topic t = engine.createTopic(body.topicName(), body.partitionsCount() == null ? 1 : body.partitionsCount(), configs);
        V3.Topic created = l.topic(t);
        return Response.status(Response.Status.CREATED).entity(created)
                .header("Location", created.metadata().self()).build();
    }

    @GET
    @Path("{cluster}/topics/{topic}")
    public V3.Topic topic(@PathParam("cluster") String cluster, @PathParam("topic") String topic, @Context UriInfo uri) {
        return links(uri, cluster).topic(engine.topic(topic));
    }

    @PATCH
    @Path("{cluster}/topics/{topic}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Increase the partition count")
    public V3.Topic updateTopic(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                                V3.UpdateTopic body, @Context UriInfo uri) {
        Links l = links(uri, cluster);
        if (body == null || body.partitionsCount() == null) {
            throw FloeException.invalid("Send {\"partitions_count\": N} with the new, larger partition count.");
        }
        return l.topic(engine.createPartitions(topic, body.partitionsCount()));
    }

    @DELETE
    @Path("{cluster}/topics/{topic}")
    public Response deleteTopic(@PathParam("cluster") String cluster, @PathParam("topic") String topic, @Context UriInfo uri) {
        links(uri, cluster);
        engine.deleteTopic(topic);
        return Response.noContent().build();
    }

    @GET
    @Path("{cluster}/topics/{topic}/partitions")
    public V3.ResourceList<V3.Partition> partitions(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                                                    @Context UriInfo uri) {
        Links l = links(uri, cluster);
        Topic t = engine.topic(topic);
        List<V3.Partition> data = new ArrayList<>(t.partitions());
        for (int p = 0; p < t.partitions(); p++) {
            data.add(l.partition(t.name(), p));
        }
        return new V3.ResourceList<>("KafkaPartitionList", new V3.ListMetadata(l.topic(t.name()) + "/partitions", null), data);
    }

    @GET
    @Path("{cluster}/topics/{topic}/partitions/{partition}")
    public V3.Partition partition(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                                  @PathParam("partition") String partition, @Context UriInfo uri) {
        Links l = links(uri, cluster);
        int p = Params.partition(partition);
        engine.topic(topic).checkPartition(p);
        return l.partition(topic, p);
    }

    @GET
    @Path("{cluster}/topics/{topic}/configs")
    public V3.ResourceList<V3.TopicConfig> configs(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                                                   @Context UriInfo uri) {
        Links l = links(uri, cluster);
        Topic t = engine.topic(topic);
        List<V3.TopicConfig> data = TopicConfig.names().stream().map(n -> l.config(t, n)).toList();
        return new V3.ResourceList<>("KafkaTopicConfigList", new V3.ListMetadata(l.topic(t.name()) + "/configs", null), data);
    }

    @GET
    @Path("{cluster}/topics/{topic}/configs/{name}")
    public V3.TopicConfig config(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                                 @PathParam("name") String name, @Context UriInfo uri) {
        Links l = links(uri, cluster);
        Topic t = engine.topic(topic);
        if (!TopicConfig.names().contains(name)) {
            throw RestException.notFound("Topic config '" + name + "' does not exist; known configs: "
                    + String.join(", ", TopicConfig.names()) + ".");
        }
        return l.config(t, name);
    }

    @PUT
    @Path("{cluster}/topics/{topic}/configs/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setConfig(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                              @PathParam("name") String name, V3.UpdateConfig body, @Context UriInfo uri) {
        links(uri, cluster);
        if (body == null || body.value() == null) {
            throw FloeException.invalid("Send {\"value\": \"…\"}; to go back to the default, DELETE the config.");
        }
        engine.alterConfigs(topic, Map.of(name, body.value()), Set.of());
        return Response.noContent().build();
    }

    @DELETE
    @Path("{cluster}/topics/{topic}/configs/{name}")
    @Operation(summary = "Reset a topic config to its default")
    public Response resetConfig(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                                @PathParam("name") String name, @Context UriInfo uri) {
        links(uri, cluster);
        engine.alterConfigs(topic, Map.of(), Set.of(name));
        return Response.noContent().build();
    }

    @POST
    // REST Proxy's literal "configs:alter"; clients that percent-encode the colon are matched too.
    @Path("{cluster}/topics/{topic}/{alter: configs(?::|%3[Aa])alter}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set and reset several topic configs at once")
    public Response alterConfigs(@PathParam("cluster") String cluster, @PathParam("topic") String topic,
                                 V3.AlterConfigs body, @Context UriInfo uri) {
        links(uri, cluster);
        if (body == null || body.data() == null) {
            throw FloeException.invalid("Send {\"data\":[{\"name\":…,\"value\":…,\"operation\":\"SET\"|\"DELETE\"}]}.");
        }
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> reset = new HashSet<>();
        for (V3.AlterConfig c : body.data()) {
            if (c == null || c.name() == null) {
                throw FloeException.invalid("Every entry of 'data' needs a 'name'.");
            }
            String op = c.operation() == null ? "SET" : c.operation().toUpperCase(Locale.ROOT);
            switch (op) {
                case "SET" -> {
                    if (c.value() == null) {
                        throw FloeException.invalid("Config '" + c.name() + "': SET needs a 'value'.");
                    }
                    set.put(c.name(), c.value());
                }
                case "DELETE" -> reset.add(c.name());
                default -> throw FloeException.invalid("Config '" + c.name() + "': unknown operation '" + c.operation()
                        + "'; accepted: SET, DELETE.");
            }
        }
        engine.alterConfigs(topic, set, reset);
        return Response.noContent().build();
    }

    private Links links(UriInfo uri, String cluster) {
        String id = engine.clusterId();
        if (!id.equals(cluster)) {
            throw RestException.notFound("Cluster '" + cluster + "' does not exist; this cluster's id is '" + id + "'.");
        }
        return new Links(uri, id);
    }

    /** Builds the v3 resources with their URLs for one request. */
    private static final class Links {
        final String base;
        final String id;
        final String cluster;

        Links(UriInfo uri, String id) {
            String b = uri.getBaseUri().toString();
            this.base = b.endsWith("/") ? b : b + "/";
            this.id = id;
            this.cluster = base + "v3/clusters/" + id;
        }

        V3.Cluster cluster() {
            return new V3.Cluster("KafkaCluster", new V3.ResourceMetadata(cluster, "crn:///kafka=" + id), id,
                    rel(cluster + "/brokers/0"), rel(cluster + "/acls"), rel(cluster + "/brokers"),
                    rel(cluster + "/broker-configs"), rel(cluster + "/consumer-groups"), rel(cluster + "/topics"),
                    rel(cluster + "/topics/-/partitions/-/reassignment"));
        }

        String topic(String name) {
            return cluster + "/topics/" + name;
        }

        V3.Topic topic(Topic t) {
            String self = topic(t.name());
            return new V3.Topic("KafkaTopic", new V3.ResourceMetadata(self, "crn:///kafka=" + id + "/topic=" + t.name()),
                    id, t.name(), false, 1, t.partitions(), rel(self + "/partitions"), rel(self + "/configs"),
                    rel(self + "/partitions/-/reassignment"), List.of());
        }

        V3.Partition partition(String topic, int p) {
            String self = topic(topic) + "/partitions/" + p;
            return new V3.Partition("KafkaPartition",
                    new V3.ResourceMetadata(self, "crn:///kafka=" + id + "/topic=" + topic + "/partition=" + p),
                    id, topic, p, rel(self + "/replicas/0"), rel(self + "/replicas"), rel(self + "/reassignment"));
        }

        V3.TopicConfig config(Topic t, String name) {
            String self = topic(t.name()) + "/configs/" + name;
            boolean isDefault = t.config().isDefault(name);
            String value = t.config().get(name);
            List<V3.Synonym> synonyms = new ArrayList<>();
            if (!isDefault) {
                synonyms.add(new V3.Synonym(name, value, "DYNAMIC_TOPIC_CONFIG"));
            }
            synonyms.add(new V3.Synonym(name, TopicConfig.defaultValue(name), "DEFAULT_CONFIG"));
            return new V3.TopicConfig("KafkaTopicConfig",
                    new V3.ResourceMetadata(self, "crn:///kafka=" + id + "/topic=" + t.name() + "/config=" + name),
                    id, t.name(), name, value, isDefault, false, false,
                    isDefault ? "DEFAULT_CONFIG" : "DYNAMIC_TOPIC_CONFIG", synonyms);
        }

        private static V3.Related rel(String url) {
            return new V3.Related(url);
        }
    }
}
