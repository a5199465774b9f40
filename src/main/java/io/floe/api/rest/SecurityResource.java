package io.floe.api.rest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.floe.auth.Acl;
import io.floe.auth.Credential;
import io.floe.auth.Security;
import io.floe.log.LogEngine;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * ACLs (REST Proxy v3's {@code /acls}: list with filters, create one, delete by filter) and SCRAM
 * users (Floe's {@code /users}, the REST equivalent of kafka-configs.sh --entity-type users), on the
 * same store as the Kafka APIs. Passwords are taken, salted into SCRAM credentials and never stored
 * or echoed. Authorized by {@link RestAuthorization} (ALTER or DESCRIBE on the cluster).
 */
@Path("/v3/clusters/{cluster}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Security (REST Proxy v3 ACLs; SCRAM users)")
public class SecurityResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AclData(String kind, String clusterId, String resourceType, String resourceName, String patternType,
                          String principal, String host, String operation, String permission) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateAcl(String resourceType, String resourceName, String patternType, String principal, String host,
                            String operation, String permission) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserData(String kind, String userName, List<Map<String, Object>> scramCredentials) {
    }

    public record SetCredential(String password, Integer iterations) {
    }

    private final Security security;
    private final LogEngine engine;

    SecurityResource(Security security, LogEngine engine) {
        this.security = security;
        this.engine = engine;
    }

    @GET
    @Path("acls")
    @Operation(summary = "ACLs matching the filters (each defaults to any)")
    public V3.ResourceList<AclData> acls(@PathParam("cluster") String cluster, @Context UriInfo uri,
                                         @QueryParam("resource_type") @DefaultValue("ANY") String type,
                                         @QueryParam("resource_name") String name,
                                         @QueryParam("pattern_type") @DefaultValue("ANY") String pattern,
                                         @QueryParam("principal") String principal, @QueryParam("host") String host,
                                         @QueryParam("operation") @DefaultValue("ANY") String operation,
                                         @QueryParam("permission") @DefaultValue("ANY") String permission) {
        checkCluster(cluster);
        AclBindingFilter f = filter(type, name, pattern, principal, host, operation, permission);
        List<AclData> out = store().snapshot().acls().stream().filter(a -> f.matches(a.toBinding())).map(a -> data(cluster, a)).toList();
        return new V3.ResourceList<>("KafkaAclList", new V3.ListMetadata(uri.getRequestUri().toString(), null), out);
    }

    @POST
    @Path("acls")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an ACL")
    public Response createAcl(@PathParam("cluster") String cluster, CreateAcl body) {
        checkCluster(cluster);
        if (body == null) {
            throw RestException.badRequest("Send {\"resource_type\":\"TOPIC\",\"resource_name\":\"…\",\"pattern_type\":\"LITERAL\","
                    + "\"principal\":\"User:…\",\"host\":\"*\",\"operation\":\"READ\",\"permission\":\"ALLOW\"}.");
        }
        Acl acl;
        try {
            acl = new Acl(body.principal(), body.host() == null ? "*" : body.host(), enumOf(ResourceType.class, body.resourceType()),
                    body.resourceName(), enumOf(PatternType.class, body.patternType() == null ? "LITERAL" : body.patternType()),
                    enumOf(AclOperation.class, body.operation()), enumOf(AclPermissionType.class, body.permission()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RestException(422, 42201, "Invalid ACL: " + e.getMessage());
        }
        store().addAcls(List.of(acl));
        return Response.status(201).build();
    }

    @DELETE
    @Path("acls")
    @Blocking
    @Operation(summary = "Delete the ACLs matching the filters; answers those deleted")
    public V3.ResourceList<AclData> deleteAcls(@PathParam("cluster") String cluster, @Context UriInfo uri,
                                               @QueryParam("resource_type") String type,
                                               @QueryParam("resource_name") String name,
                                               @QueryParam("pattern_type") @DefaultValue("ANY") String pattern,
                                               @QueryParam("principal") String principal, @QueryParam("host") String host,
                                               @QueryParam("operation") @DefaultValue("ANY") String operation,
                                               @QueryParam("permission") @DefaultValue("ANY") String permission) {
        checkCluster(cluster);
        if (type == null) {
            throw RestException.badRequest("resource_type is required to delete ACLs (ANY deletes across every type).");
        }
        AclBindingFilter f = filter(type, name, pattern, principal, host, operation, permission);
        List<AclData> out = store().removeAcls(a -> f.matches(a.toBinding())).stream().map(a -> data(cluster, a)).toList();
        return new V3.ResourceList<>("KafkaAclList", new V3.ListMetadata(uri.getRequestUri().toString(), null), out);
    }

    @GET
    @Path("users")
    @Operation(summary = "Users and their SCRAM mechanisms (never a key)")
    public V3.ResourceList<UserData> users(@PathParam("cluster") String cluster, @Context UriInfo uri) {
        checkCluster(cluster);
        List<UserData> out = new ArrayList<>();
        store().snapshot().users().forEach((u, creds) -> {
            List<Map<String, Object>> c = new ArrayList<>();
            creds.forEach((m, cred) -> c.add(Map.of("mechanism", m.mechanismName(), "iterations", cred.iterations())));
            out.add(new UserData("FloeUser", u, c));
        });
        return new V3.ResourceList<>("FloeUserList", new V3.ListMetadata(uri.getRequestUri().toString(), null), out);
    }

    @PUT
    @Path("users/{user}/scram-credentials/{mechanism}")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a user's SCRAM credential from a password")
    public Response putCredential(@PathParam("cluster") String cluster, @PathParam("user") String user,
                                  @PathParam("mechanism") String mechanism, SetCredential body) {
        checkCluster(cluster);
        ScramMechanism m = mechanism(mechanism);
        if (body == null || body.password() == null || body.password().isEmpty()) {
            throw RestException.badRequest("Send {\"password\":\"…\"} (and optionally \"iterations\", default 4096).");
        }
        try {
            store().putCredential(user, Credential.fromPassword(m, body.password(),
                    body.iterations() == null ? Credential.DEFAULT_ITERATIONS : body.iterations()));
        } catch (IllegalArgumentException e) {
            throw new RestException(422, 42201, e.getMessage());
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("users/{user}/scram-credentials/{mechanism}")
    @Blocking
    @Operation(summary = "Delete a user's SCRAM credential")
    public Response deleteCredential(@PathParam("cluster") String cluster, @PathParam("user") String user,
                                     @PathParam("mechanism") String mechanism) {
        checkCluster(cluster);
        if (!store().deleteCredential(user, mechanism(mechanism))) {
            throw RestException.notFound("User '" + user + "' has no " + mechanism + " credential.");
        }
        return Response.noContent().build();
    }

    private io.floe.auth.SecurityStore store() {
        return security.store();
    }

    private void checkCluster(String cluster) {
        if (!engine.clusterId().equals(cluster)) {
            throw RestException.notFound("Cluster '" + cluster + "' does not exist; this cluster's id is '" + engine.clusterId() + "'.");
        }
    }

    private static ScramMechanism mechanism(String name) {
        ScramMechanism m = ScramMechanism.forMechanismName(name);
        if (m == null) {
            throw RestException.notFound("Unknown SCRAM mechanism '" + name + "': SCRAM-SHA-256 or SCRAM-SHA-512.");
        }
        return m;
    }

    private static AclBindingFilter filter(String type, String name, String pattern, String principal, String host,
                                           String operation, String permission) {
        try {
            return new AclBindingFilter(new ResourcePatternFilter(enumOf(ResourceType.class, type), name,
                    enumOf(PatternType.class, pattern)), new AccessControlEntryFilter(principal, host,
                    enumOf(AclOperation.class, operation), enumOf(AclPermissionType.class, permission)));
        } catch (IllegalArgumentException e) {
            throw RestException.badRequest(e.getMessage());
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + value + "' is not a " + type.getSimpleName());
        }
    }


    private static AclData data(String cluster, Acl a) {
        return new AclData("KafkaAcl", cluster, a.resourceType().name(), a.name(), a.patternType().name(), a.principal(), a.host(),
                a.operation().name(), a.permission().name());
    }
}
