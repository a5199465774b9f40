package io.floe.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IamPrincipalsTest {

    @Test
    void anAssumedRoleSessionIsItsRole() {
        assertThat(IamPrincipals.of("arn:aws:sts::123456789012:assumed-role/worker/i-0abc123"))
                .contains(Principal.user("arn:aws:iam::123456789012:role/worker"));
        assertThat(IamPrincipals.of("arn:aws-cn:sts::123456789012:assumed-role/etl/botocore-session-1"))
                .contains(Principal.user("arn:aws-cn:iam::123456789012:role/etl"));
    }

    @Test
    void anIamUserOrTheRootIsItsArn() {
        assertThat(IamPrincipals.of("arn:aws:iam::123456789012:user/ops/alice"))
                .contains(Principal.user("arn:aws:iam::123456789012:user/ops/alice"));
        assertThat(IamPrincipals.of("arn:aws:iam::123456789012:root")).contains(Principal.user("arn:aws:iam::123456789012:root"));
    }

    @Test
    void anythingElseIsNoPrincipal() {
        assertThat(IamPrincipals.of(null)).isEmpty();
        assertThat(IamPrincipals.of("")).isEmpty();
        assertThat(IamPrincipals.of("arn:aws:sts::123456789012:federated-user/bob")).isEmpty();
        assertThat(IamPrincipals.of("arn:aws:sts::123456789012:assumed-role/worker")).as("no session").isEmpty();
        assertThat(IamPrincipals.of("User:admin")).isEmpty();
    }
}
