package io.floe.auth;

/**
 * The bucket keys of users and ACLs. Fold into BucketLayout (the lead's one home for every key)
 * when this branch meets it; docs/FORMAT.md section 11 describes both objects.
 */
final class SecurityKeys {

    /** Salted SCRAM credentials of every user: JSON, compare-and-swapped. */
    static final String USERS = "security/users";
    /** Every ACL: JSON, compare-and-swapped. */
    static final String ACLS = "security/acls";

    private SecurityKeys() {
    }
}
