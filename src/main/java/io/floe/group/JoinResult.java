package io.floe.group;

import java.util.List;

/**
 * The answer to a completed join: the new generation, the protocol chosen for it, its leader, and —
 * for the leader only — every member with the metadata of the chosen protocol.
 *
 * @param generation   the generation this member now belongs to
 * @param protocolType the group's protocol type
 * @param protocolName the protocol every member supports that was chosen (the leader runs it)
 * @param leaderId     the member id of the leader
 * @param memberId     this member's id (assigned by the engine for a new member)
 * @param skipAssignment true when the leader must not compute a new assignment (a static member
 *                     rejoined and got its previous assignment back; KIP-814)
 * @param members      the members and their metadata for the leader; empty for followers
 */
public record JoinResult(
        int generation,
        String protocolType,
        String protocolName,
        String leaderId,
        String memberId,
        boolean skipAssignment,
        List<JoinedMember> members) {

    /** A member as the leader sees it when it computes the assignment. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }

    public boolean isLeader() {
        return leaderId.equals(memberId);
    }
}
