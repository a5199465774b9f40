package io.floe.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.store.MemoryObjectStore;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** Kafka's authorization semantics, on the in-memory snapshot. */
class AuthorizerTest {

    private static final io.floe.log.Retry RETRY = new io.floe.log.Retry(io.floe.log.Retry.Sleeper.NONE, new SplittableRandom(0));
    private final MemoryObjectStore store = new MemoryObjectStore();
    private final SecurityStore users = new SecurityStore(store, RETRY, new SplittableRandom(1), "t");
    private final Authorizer authorizer = new Authorizer(users, true, Set.of("User:root"));
    private final Principal alice = Principal.user("alice");

    private static Acl acl(String principal, String host, ResourceType type, String name, PatternType pattern, AclOperation op,
                           AclPermissionType permission) {
        return new Acl(principal, host, type, name, pattern, op, permission);
    }

    private boolean may(AclOperation op, ResourceType type, String name) {
        return authorizer.allowed(alice, "10.0.0.1", op, type, name);
    }

    @Test
    void nothingMatchingIsADenialAndSuperUsersMayEverything() {
        assertThat(may(AclOperation.READ, ResourceType.TOPIC, "orders")).isFalse();
        assertThat(authorizer.allowed(Principal.user("root"), "h", AclOperation.ALTER, ResourceType.CLUSTER, "kafka-cluster")).isTrue();
    }

    @Test
    void readWriteDeleteAlterImplyDescribeAndAlterConfigsImpliesDescribeConfigs() {
        users.addAcls(List.of(acl("User:alice", "*", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE,
                AclPermissionType.ALLOW), acl("User:alice", "*", ResourceType.TOPIC, "orders", PatternType.LITERAL,
                AclOperation.ALTER_CONFIGS, AclPermissionType.ALLOW)));
        assertThat(may(AclOperation.WRITE, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(may(AclOperation.DESCRIBE, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(may(AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(may(AclOperation.READ, ResourceType.TOPIC, "orders")).isFalse();
        assertThat(may(AclOperation.WRITE, ResourceType.TOPIC, "orders-2")).isFalse();
        assertThat(may(AclOperation.WRITE, ResourceType.GROUP, "orders")).as("another resource type").isFalse();
    }

    @Test
    void denyWinsOverAllowButOnlyForItsOwnOperation() {
        users.addAcls(List.of(acl("User:*", "*", ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.ALL,
                AclPermissionType.ALLOW), acl("User:alice", "*", ResourceType.TOPIC, "pay", PatternType.PREFIXED,
                AclOperation.READ, AclPermissionType.DENY)));
        assertThat(may(AclOperation.READ, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(may(AclOperation.READ, ResourceType.TOPIC, "payroll")).isFalse();
        assertThat(may(AclOperation.DESCRIBE, ResourceType.TOPIC, "payroll")).as("deny READ does not deny DESCRIBE").isTrue();
        assertThat(authorizer.allowed(Principal.user("bob"), "h", AclOperation.READ, ResourceType.TOPIC, "payroll")).isTrue();
    }

    @Test
    void hostsMustMatch() {
        users.addAcls(List.of(acl("User:alice", "10.0.0.1", ResourceType.GROUP, "g", PatternType.LITERAL, AclOperation.READ,
                AclPermissionType.ALLOW)));
        assertThat(may(AclOperation.READ, ResourceType.GROUP, "g")).isTrue();
        assertThat(authorizer.allowed(alice, "10.0.0.2", AclOperation.READ, ResourceType.GROUP, "g")).isFalse();
    }

    @Test
    void anotherInstanceSeesAChangeOnItsNextRefreshWithoutAStoreRequestPerCheck() {
        SecurityStore other = new SecurityStore(store, RETRY, new SplittableRandom(2), "u");
        Authorizer theirs = new Authorizer(other, true, Set.of());
        users.addAcls(List.of(acl("User:alice", "*", ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.READ,
                AclPermissionType.ALLOW)));
        assertThat(theirs.allowed(alice, "h", AclOperation.READ, ResourceType.TOPIC, "t")).as("not refreshed yet").isFalse();
        other.refresh();
        assertThat(theirs.allowed(alice, "h", AclOperation.READ, ResourceType.TOPIC, "t")).isTrue();
    }

    @Test
    void credentialsMatchOnlyTheirPasswordAndAnUnknownUserFailsAlike() {
        users.putCredential("alice", Credential.fromPassword(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256, "pw", 4096));
        Authenticator a = new Authenticator(users, java.time.Clock.systemUTC(), new byte[32]);
        assertThat(a.checkPassword("alice", "pw")).isTrue();
        assertThat(a.checkPassword("alice", "pw")).as("remembered").isTrue();
        assertThat(a.checkPassword("alice", "nope")).isFalse();
        assertThat(a.checkPassword("bob", "pw")).isFalse();
        assertThat(new String(store.get("security/users").orElseThrow().content())).doesNotContain("\"pw\"");
        assertThat(a.scramCredential("bob", org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256)
                .salt()).as("made up, stable").isEqualTo(a.scramCredential("bob",
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256).salt());
    }
}
