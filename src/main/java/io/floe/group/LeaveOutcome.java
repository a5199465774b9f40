package io.floe.group;

import io.floe.model.ErrorCode;

/** What happened to one member of a leave request: {@code error} is null when it left. */
public record LeaveOutcome(String memberId, String groupInstanceId, ErrorCode error) {
}
