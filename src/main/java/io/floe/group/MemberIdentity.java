package io.floe.group;

/**
 * Names a member for {@link GroupCoordinator#leave}: by member id, or (static members, KIP-345) by
 * group instance id with a null or empty member id.
 */
public record MemberIdentity(String memberId, String groupInstanceId) {
}
