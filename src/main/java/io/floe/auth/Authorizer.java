package io.floe.auth;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The one authorizer both front doors call with (principal, client host, operation, resource) before
 * they touch the engine. Kafka's semantics: super-users may do anything; otherwise a matching DENY
 * (for the operation itself or ALL) wins, then a matching ALLOW whose operation implies the one asked
 * for ({@link Acl#implies}); no match is a denial. When authentication is off every check passes.
 * Decisions read the in-memory {@link SecurityStore.Snapshot}: no store request per check.
 *
 * <p>Denials are logged (principal, client host, operation, resource; never a credential) and
 * counted. Thread-safe.
 */
public final class Authorizer {

    /** The name of the cluster resource, as Kafka spells it. */
    public static final String CLUSTER = "kafka-cluster";
    private static final System.Logger AUDIT = System.getLogger("io.floe.audit");

    private final SecurityStore store;
    private final boolean enabled;
    private final Set<String> superUsers;
    private final AtomicLong denials = new AtomicLong();

    /**
     * @param enabled    false: every check passes (authentication off; Floe then listens on loopback only)
     * @param superUsers principals ({@code User:name}) allowed everything
     */
    public Authorizer(SecurityStore store, boolean enabled, Set<String> superUsers) {
        this.store = store;
        this.enabled = enabled;
        this.superUsers = Set.copyOf(superUsers);
    }

    /** An authorizer that allows everything (authentication off). */
    public static Authorizer allowAll() {
        return new Authorizer(null, false, Set.of());
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether {@code principal} from {@code host} may {@code op} the resource; a denial is logged and counted. */
    public boolean authorize(Principal principal, String host, AclOperation op, ResourceType type, String name) {
        if (allowed(principal, host, op, type, name)) {
            return true;
        }
        denials.incrementAndGet();
        AUDIT.log(System.Logger.Level.INFO, "DENIED principal=" + principal + " host=" + host + " operation=" + op
                + " resource=" + type + ":" + name);
        return false;
    }

    /** Like {@link #authorize} but without logging: for filtering listings (Metadata shows what may be described). */
    public boolean allowed(Principal principal, String host, AclOperation op, ResourceType type, String name) {
        if (!enabled || superUsers.contains(principal.toString())) {
            return true;
        }
        boolean allow = false;
        for (Acl a : store.snapshot().acls()) {
            if (!a.covers(type, name) || !a.appliesTo(principal, host)) {
                continue;
            }
            if (a.permission() == AclPermissionType.DENY) {
                if (a.operation() == op || a.operation() == AclOperation.ALL) {
                    return false;
                }
            } else if (Acl.implies(a.operation(), op)) {
                allow = true;
            }
        }
        return allow;
    }

    /**
     * Whether {@code principal} may {@code op} at least one resource of {@code type} (Kafka's
     * authorizeByResourceType: an idempotent producer needs WRITE on some topic).
     */
    public boolean allowedOnAny(Principal principal, String host, AclOperation op, ResourceType type) {
        if (!enabled || superUsers.contains(principal.toString())) {
            return true;
        }
        for (Acl a : store.snapshot().acls()) {
            if (a.resourceType() == type && a.appliesTo(principal, host) && a.permission() == AclPermissionType.ALLOW
                    && Acl.implies(a.operation(), op) && !allowedDeniedLiterally(principal, host, op, type, a)) {
                return true;
            }
        }
        return false;
    }

    private boolean allowedDeniedLiterally(Principal p, String host, AclOperation op, ResourceType type, Acl allow) {
        return allow.patternType() == org.apache.kafka.common.resource.PatternType.LITERAL && !allow.name().equals(Acl.WILDCARD)
                && !allowed(p, host, op, type, allow.name());
    }

    /** Denials since start (a metric). */
    public long denials() {
        return denials.get();
    }
}
