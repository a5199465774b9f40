package io.floe.auth;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One access-control entry in Kafka's model: {@code principal} (or {@code User:*}) from {@code host}
 * (or {@code *}) is allowed or denied {@code operation} on resources of {@code resourceType} whose
 * name equals ({@link PatternType#LITERAL}; {@code *} matches every name) or starts with
 * ({@link PatternType#PREFIXED}) {@code name}. Kafka's own enums, so the protocol's codes map 1:1.
 */
public record Acl(String principal, String host, ResourceType resourceType, String name, PatternType patternType,
                  AclOperation operation, AclPermissionType permission) {

    public static final String WILDCARD = "*";

    public Acl {
        if (principal == null || host == null || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an ACL needs a principal, a host and a resource name");
        }
        Principal.parse(principal); // checks the form
        if (resourceType == ResourceType.ANY || resourceType == ResourceType.UNKNOWN
                || !(patternType == PatternType.LITERAL || patternType == PatternType.PREFIXED)
                || operation == AclOperation.ANY || operation == AclOperation.UNKNOWN
                || !(permission == AclPermissionType.ALLOW || permission == AclPermissionType.DENY)) {
            throw new IllegalArgumentException("an ACL needs a concrete resource type, pattern type (LITERAL or PREFIXED), "
                    + "operation and permission (ALLOW or DENY)");
        }
        if (resourceType == ResourceType.CLUSTER && !name.equals("kafka-cluster")) {
            throw new IllegalArgumentException("the cluster resource is named kafka-cluster");
        }
    }

    /** Kafka's form of this ACL (for its filters and the protocol). */
    public org.apache.kafka.common.acl.AclBinding toBinding() {
        return new org.apache.kafka.common.acl.AclBinding(
                new org.apache.kafka.common.resource.ResourcePattern(resourceType, name, patternType),
                new org.apache.kafka.common.acl.AccessControlEntry(principal, host, operation, permission));
    }

    /** Whether this ACL's pattern covers the resource {@code type}/{@code resourceName}. */
    boolean covers(ResourceType type, String resourceName) {
        if (type != resourceType) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> name.equals(WILDCARD) || name.equals(resourceName);
            case PREFIXED -> resourceName.startsWith(name);
            default -> false;
        };
    }

    boolean appliesTo(Principal p, String fromHost) {
        return (principal.equals(p.toString()) || principal.equals(p.type() + ":" + WILDCARD))
                && (host.equals(WILDCARD) || host.equals(fromHost));
    }

    /** Kafka's implication rules: ALL implies everything; READ, WRITE, DELETE, ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS. */
    static boolean implies(AclOperation granted, AclOperation wanted) {
        if (granted == AclOperation.ALL || granted == wanted) {
            return true;
        }
        return switch (wanted) {
            case DESCRIBE -> granted == AclOperation.READ || granted == AclOperation.WRITE || granted == AclOperation.DELETE
                    || granted == AclOperation.ALTER;
            case DESCRIBE_CONFIGS -> granted == AclOperation.ALTER_CONFIGS;
            default -> false;
        };
    }
}
