package io.floe.group;

/** A member's assignment for the generation it synced, as the leader encoded it. */
public record SyncResult(String protocolType, String protocolName, byte[] assignment) {
}
