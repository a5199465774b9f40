package io.floe.auth;

import io.floe.format.BucketLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The two security objects, versioned JSON (UTF-8). Byte strings are base64. {@code writeId} is unique
 * per write (ConditionalUpdate's rule). Unknown fields are ignored; an unknown version is CORRUPT_OBJECT.
 *
 * <pre>
 * security/users: {"version":1, "writeId":"…", "users":{"alice":{"SCRAM-SHA-256":
 *                  {"salt":"…", "storedKey":"…", "serverKey":"…", "iterations":4096}}}}
 * security/acls:  {"version":1, "writeId":"…", "acls":[{"principal":"User:alice", "host":"*",
 *                  "resourceType":"TOPIC", "name":"orders", "patternType":"LITERAL",
 *                  "operation":"READ", "permission":"ALLOW"}]}
 * </pre>
 * Stateless and thread-safe.
 */
final class SecurityFormat {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private SecurityFormat() {
    }

    static byte[] encodeUsers(Map<String, Map<ScramMechanism, Credential>> users, String writeId) {
        ObjectNode root = header(writeId);
        ObjectNode us = root.putObject("users");
        new TreeMap<>(users).forEach((name, creds) -> {
            ObjectNode u = us.putObject(name);
            creds.forEach((m, c) -> {
                ObjectNode n = u.putObject(m.mechanismName());
                n.put("salt", B64.encodeToString(c.salt()));
                n.put("storedKey", B64.encodeToString(c.storedKey()));
                n.put("serverKey", B64.encodeToString(c.serverKey()));
                n.put("iterations", c.iterations());
            });
        });
        return bytes(root);
    }

    static Map<String, Map<ScramMechanism, Credential>> decodeUsers(byte[] content) {
        JsonNode root = read(content, BucketLayout.SECURITY_USERS);
        Map<String, Map<ScramMechanism, Credential>> out = new TreeMap<>();
        try {
            root.path("users").fields().forEachRemaining(u -> {
                Map<ScramMechanism, Credential> creds = new EnumMap<>(ScramMechanism.class);
                u.getValue().fields().forEachRemaining(c -> {
                    ScramMechanism m = ScramMechanism.forMechanismName(c.getKey());
                    if (m != null) {
                        JsonNode n = c.getValue();
                        creds.put(m, new Credential(m, B64D.decode(n.get("salt").asText()), B64D.decode(n.get("storedKey").asText()),
                                B64D.decode(n.get("serverKey").asText()), n.get("iterations").asInt()));
                    }
                });
                out.put(u.getKey(), creds);
            });
        } catch (RuntimeException e) {
            throw corrupt(BucketLayout.SECURITY_USERS, e.toString());
        }
        return out;
    }

    static byte[] encodeAcls(List<Acl> acls, String writeId) {
        ObjectNode root = header(writeId);
        ArrayNode a = root.putArray("acls");
        for (Acl acl : acls) {
            ObjectNode n = a.addObject();
            n.put("principal", acl.principal());
            n.put("host", acl.host());
            n.put("resourceType", acl.resourceType().name());
            n.put("name", acl.name());
            n.put("patternType", acl.patternType().name());
            n.put("operation", acl.operation().name());
            n.put("permission", acl.permission().name());
        }
        return bytes(root);
    }

    static List<Acl> decodeAcls(byte[] content) {
        JsonNode root = read(content, BucketLayout.SECURITY_ACLS);
        List<Acl> out = new ArrayList<>();
        try {
            for (JsonNode n : root.path("acls")) {
                out.add(new Acl(n.get("principal").asText(), n.get("host").asText(),
                        ResourceType.valueOf(n.get("resourceType").asText()), n.get("name").asText(),
                        PatternType.valueOf(n.get("patternType").asText()), AclOperation.valueOf(n.get("operation").asText()),
                        AclPermissionType.valueOf(n.get("permission").asText())));
            }
        } catch (RuntimeException e) {
            throw corrupt(BucketLayout.SECURITY_ACLS, e.toString());
        }
        return List.copyOf(out);
    }

    private static ObjectNode header(String writeId) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("writeId", writeId);
        return root;
    }

    private static byte[] bytes(ObjectNode root) {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(byte[] content, String key) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            throw corrupt(key, "not JSON");
        }
        if (root == null || root.path("version").asInt(-1) != VERSION) {
            throw corrupt(key, "unknown version " + (root == null ? "?" : root.path("version")));
        }
        return root;
    }

    private static FloeException corrupt(String key, String why) {
        return new FloeException(ErrorCode.CORRUPT_OBJECT, key + ": " + why);
    }
}
