package io.floe.api.kafka;

import io.floe.auth.Acl;
import io.floe.auth.Credential;
import io.floe.auth.SecurityStore;
import io.floe.model.FloeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The ACL and SCRAM-user APIs (kafka-acls.sh, kafka-configs.sh --entity-type users): CreateAcls,
 * DescribeAcls, DeleteAcls, AlterUserScramCredentials, DescribeUserScramCredentials, on the
 * {@link SecurityStore}. Filters use Kafka's own {@link AclBindingFilter}. Thread-safe.
 */
final class SecurityAdmin {

    private final SecurityStore store;

    SecurityAdmin(SecurityStore store) {
        this.store = store;
    }

    // ---- ACLs ----------------------------------------------------------------------------------

    CreateAclsResponseData createAcls(CreateAclsRequestData req) {
        CreateAclsResponseData out = new CreateAclsResponseData();
        List<Acl> valid = new ArrayList<>();
        List<CreateAclsResponseData.AclCreationResult> results = new ArrayList<>();
        for (CreateAclsRequestData.AclCreation c : req.creations()) {
            CreateAclsResponseData.AclCreationResult r = new CreateAclsResponseData.AclCreationResult();
            try {
                valid.add(new Acl(c.principal(), c.host(), ResourceType.fromCode(c.resourceType()), c.resourceName(),
                        PatternType.fromCode(c.resourcePatternType()), AclOperation.fromCode(c.operation()),
                        AclPermissionType.fromCode(c.permissionType())));
            } catch (IllegalArgumentException e) {
                r.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage());
            }
            results.add(r);
        }
        try {
            store.addAcls(valid);
        } catch (FloeException e) {
            results.forEach(r -> {
                if (r.errorCode() == 0) {
                    r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
                }
            });
        }
        return out.setResults(results);
    }

    DescribeAclsResponseData describeAcls(DescribeAclsRequestData req) {
        AclBindingFilter filter = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.fromCode(req.resourceTypeFilter()), req.resourceNameFilter(),
                        PatternType.fromCode(req.patternTypeFilter())),
                new AccessControlEntryFilter(req.principalFilter(), req.hostFilter(), AclOperation.fromCode(req.operation()),
                        AclPermissionType.fromCode(req.permissionType())));
        Map<ResourcePattern, List<DescribeAclsResponseData.AclDescription>> byResource = new LinkedHashMap<>();
        for (Acl a : store.snapshot().acls()) {
            AclBinding b = a.toBinding();
            if (filter.matches(b)) {
                byResource.computeIfAbsent(b.pattern(), p -> new ArrayList<>()).add(new DescribeAclsResponseData.AclDescription()
                        .setPrincipal(a.principal()).setHost(a.host()).setOperation(a.operation().code())
                        .setPermissionType(a.permission().code()));
            }
        }
        DescribeAclsResponseData out = new DescribeAclsResponseData();
        byResource.forEach((p, acls) -> out.resources().add(new DescribeAclsResponseData.DescribeAclsResource()
                .setResourceType(p.resourceType().code()).setResourceName(p.name()).setPatternType(p.patternType().code())
                .setAcls(acls)));
        return out;
    }

    DeleteAclsResponseData deleteAcls(DeleteAclsRequestData req) {
        List<AclBindingFilter> filters = req.filters().stream().map(f -> new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.fromCode(f.resourceTypeFilter()), f.resourceNameFilter(),
                        PatternType.fromCode(f.patternTypeFilter())),
                new AccessControlEntryFilter(f.principalFilter(), f.hostFilter(), AclOperation.fromCode(f.operation()),
                        AclPermissionType.fromCode(f.permissionType())))).toList();
        List<Acl> removed = store.removeAcls(a -> filters.stream().anyMatch(f -> f.matches(a.toBinding())));
        DeleteAclsResponseData out = new DeleteAclsResponseData();
        for (AclBindingFilter f : filters) {
            DeleteAclsResponseData.DeleteAclsFilterResult r = new DeleteAclsResponseData.DeleteAclsFilterResult();
            for (Acl a : removed) {
                if (f.matches(a.toBinding())) {
                    r.matchingAcls().add(new DeleteAclsResponseData.DeleteAclsMatchingAcl()
                            .setResourceType(a.resourceType().code()).setResourceName(a.name())
                            .setPatternType(a.patternType().code()).setPrincipal(a.principal()).setHost(a.host())
                            .setOperation(a.operation().code()).setPermissionType(a.permission().code()));
                }
            }
            out.filterResults().add(r);
        }
        return out;
    }


    // ---- SCRAM users ---------------------------------------------------------------------------

    AlterUserScramCredentialsResponseData alterUsers(AlterUserScramCredentialsRequestData req) {
        AlterUserScramCredentialsResponseData out = new AlterUserScramCredentialsResponseData();
        Map<String, AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult> results = new LinkedHashMap<>();
        for (var d : req.deletions()) {
            var r = results.computeIfAbsent(d.name(), n -> result(n));
            ScramMechanism m = mechanism(d.mechanism());
            if (m == null) {
                r.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()).setErrorMessage("Unknown SCRAM mechanism");
            } else if (!store.deleteCredential(d.name(), m)) {
                r.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage("Attempt to delete a user credential that does not exist");
            }
        }
        for (var u : req.upsertions()) {
            var r = results.computeIfAbsent(u.name(), n -> result(n));
            ScramMechanism m = mechanism(u.mechanism());
            try {
                if (m == null) {
                    r.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()).setErrorMessage("Unknown SCRAM mechanism");
                } else if (u.name().isEmpty()) {
                    r.setErrorCode(Errors.UNACCEPTABLE_CREDENTIAL.code()).setErrorMessage("Username must not be empty");
                } else {
                    store.putCredential(u.name(), Credential.fromSaltedPassword(m, u.salt(), u.saltedPassword(), u.iterations()));
                }
            } catch (IllegalArgumentException e) {
                r.setErrorCode(Errors.UNACCEPTABLE_CREDENTIAL.code()).setErrorMessage(e.getMessage());
            } catch (FloeException e) {
                r.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
            }
        }
        return out.setResults(new ArrayList<>(results.values()));
    }

    DescribeUserScramCredentialsResponseData describeUsers(DescribeUserScramCredentialsRequestData req) {
        Map<String, Map<ScramMechanism, Credential>> users = store.snapshot().users();
        List<String> names = req.users() == null || req.users().isEmpty() ? new ArrayList<>(users.keySet())
                : req.users().stream().map(u -> u.name()).distinct().toList();
        DescribeUserScramCredentialsResponseData out = new DescribeUserScramCredentialsResponseData();
        for (String name : names) {
            var r = new DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult().setUser(name);
            Map<ScramMechanism, Credential> creds = users.get(name);
            if (creds == null || creds.isEmpty()) {
                r.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage("Attempt to describe a user credential that does not exist: " + name);
            } else {
                creds.forEach((m, c) -> r.credentialInfos().add(new DescribeUserScramCredentialsResponseData.CredentialInfo()
                        .setMechanism(m.type()).setIterations(c.iterations())));
            }
            out.results().add(r);
        }
        return out;
    }

    private static AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult result(String user) {
        return new AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult().setUser(user);
    }

    private static ScramMechanism mechanism(byte type) {
        for (ScramMechanism m : ScramMechanism.values()) {
            if (m.type() == type) {
                return m;
            }
        }
        return null;
    }
}
