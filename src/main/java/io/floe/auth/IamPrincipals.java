package io.floe.auth;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Floe principal of an AWS IAM caller (a Lambda function URL with {@code AWS_IAM} auth: AWS has
 * checked the SigV4 signature and names the caller). An IAM user or the account root is its ARN; an
 * assumed role's session ({@code arn:aws:sts::123456789012:assumed-role/worker/i-0abc}) is the role's ARN
 * ({@code User:arn:aws:iam::123456789012:role/worker}), so that an ACL granted to the role covers every
 * session of it, as IAM policies do. Paths of roles are not in the session ARN and so not in the principal.
 * Pure.
 */
public final class IamPrincipals {

    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([^/]+)/.+");
    private static final Pattern IAM = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:(user/.+|root)");

    private IamPrincipals() {
    }

    /** The principal of {@code callerArn}, or empty when it is not an IAM user, root or assumed-role ARN. */
    public static Optional<Principal> of(String callerArn) {
        if (callerArn == null) {
            return Optional.empty();
        }
        Matcher role = ASSUMED_ROLE.matcher(callerArn);
        if (role.matches()) {
            return Optional.of(Principal.user("arn:" + role.group(1) + ":iam::" + role.group(2) + ":role/" + role.group(3)));
        }
        return IAM.matcher(callerArn).matches() ? Optional.of(Principal.user(callerArn)) : Optional.empty();
    }
}
