package io.floe.group;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;

/**
 * The checks every part of the group engine makes against a {@link GroupDoc} (is this member in
 * the group, is it the instance it claims to be, is the session timeout allowed) and the
 * prescriptive errors they raise. Their messages are part of the API: change them only on purpose.
 * Stateless.
 */
final class GroupChecks {

    static final int MAX_GROUP_ID_LENGTH = 255;

    private GroupChecks() {
    }

    /** A group id must be 1..255 characters (any characters: keys escape them, see BucketLayout). */
    static String checkGroupId(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            throw new FloeException(ErrorCode.INVALID_GROUP_ID, "The group id must not be empty.");
        }
        if (groupId.length() > MAX_GROUP_ID_LENGTH) {
            throw new FloeException(ErrorCode.INVALID_GROUP_ID,
                    "The group id is longer than " + MAX_GROUP_ID_LENGTH + " characters.");
        }
        return groupId;
    }

    static GroupDoc.Member checkMember(GroupDoc d, String memberId, String groupInstanceId) {
        GroupDoc.Member m = d.members.get(memberId);
        if (m == null) {
            if (groupInstanceId != null && byInstanceId(d, groupInstanceId) != null) {
                throw fencedInstance(groupInstanceId);
            }
            throw unknownMember(d.groupId, memberId);
        }
        if (groupInstanceId != null && m.groupInstanceId != null && !groupInstanceId.equals(m.groupInstanceId)) {
            throw fencedInstance(groupInstanceId);
        }
        return m;
    }

    static GroupDoc.Member checkManaged(GroupDoc d, String groupId, String memberId) {
        GroupDoc.Member m = d.members.get(memberId);
        if (m == null || !m.isManaged()) {
            throw unknownMember(groupId, memberId);
        }
        return m;
    }

    static GroupDoc.Member byInstanceId(GroupDoc d, String groupInstanceId) {
        if (groupInstanceId == null) {
            return null;
        }
        for (GroupDoc.Member m : d.members.values()) {
            if (groupInstanceId.equals(m.groupInstanceId)) {
                return m;
            }
        }
        return null;
    }

    static void checkSessionTimeout(GroupSettings settings, long ms) {
        if (ms < settings.minSessionTimeout().toMillis() || ms > settings.maxSessionTimeout().toMillis()) {
            throw new FloeException(ErrorCode.INVALID_SESSION_TIMEOUT, "Session timeout " + ms + " ms is outside "
                    + settings.minSessionTimeout().toMillis() + " to " + settings.maxSessionTimeout().toMillis() + " ms.");
        }
    }

    static FloeException unknownGroup(String groupId) {
        return new FloeException(ErrorCode.UNKNOWN_GROUP, "Consumer group '" + groupId + "' does not exist.");
    }

    static FloeException unknownMember(String groupId, String memberId) {
        return new FloeException(ErrorCode.UNKNOWN_MEMBER, "Consumer instance '" + memberId + "' is not in group '"
                + groupId + "' (it left, or its session timed out); create a new consumer instance and subscribe again.");
    }

    static FloeException illegalGeneration(String groupId, int generation, int current) {
        return new FloeException(ErrorCode.ILLEGAL_GENERATION, "Generation " + generation + " of group '" + groupId
                + "' is no longer current (now " + current + "); the member was fenced and must rejoin the group.");
    }

    static FloeException rebalancing(String groupId) {
        return new FloeException(ErrorCode.REBALANCE_IN_PROGRESS,
                "Group '" + groupId + "' is rebalancing; rejoin the group to get the new assignment.");
    }

    static FloeException notAssigned(String groupId, String memberId, TopicPartition tp) {
        return new FloeException(ErrorCode.NOT_ASSIGNED, "Partition " + tp + " is not assigned to consumer '" + memberId
                + "' in the current generation of group '" + groupId + "'; the group rebalanced: rejoin or read "
                + "the new assignment before committing.");
    }

    static FloeException fencedInstance(String groupInstanceId) {
        return new FloeException(ErrorCode.FENCED_INSTANCE_ID, "Group instance id '" + groupInstanceId
                + "' was taken over by a newer member; this one is fenced.");
    }
}
