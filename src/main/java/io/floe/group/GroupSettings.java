package io.floe.group;

import java.time.Duration;

/**
 * Tunables of the group engine, as plain values (the runtime maps {@code floe.group.*} to this).
 *
 * @param instanceId            names this engine in what it writes (writer-unique content)
 * @param defaultSessionTimeout session timeout of REST members that do not choose one (Kafka: 45 s)
 * @param minSessionTimeout     smallest session timeout a member may ask for
 * @param maxSessionTimeout     largest session timeout a member may ask for
 * @param renewFraction         a heartbeat writes the member's lease only when less than this
 *                              fraction of the session timeout remains (0.5: renew at half-life)
 * @param pollInterval          how often a waiting join or sync re-reads the group object
 * @param stateMaxAge           how long a heartbeat may trust a group object read by this instance
 * @param commitInterval        deferred commits are written at the latest after this long
 * @param backgroundThreads     whether the engine runs its own timers (false in simulation: the
 *                              caller drives {@link GroupCoordinator#tick()})
 */
public record GroupSettings(
        String instanceId,
        Duration defaultSessionTimeout,
        Duration minSessionTimeout,
        Duration maxSessionTimeout,
        double renewFraction,
        Duration pollInterval,
        Duration stateMaxAge,
        Duration commitInterval,
        boolean backgroundThreads) {

    public static GroupSettings defaults(String instanceId) {
        return new GroupSettings(instanceId, Duration.ofSeconds(45), Duration.ofSeconds(1), Duration.ofMinutes(30),
                0.5, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5), true);
    }

    public GroupSettings withBackgroundThreads(boolean on) {
        return new GroupSettings(instanceId, defaultSessionTimeout, minSessionTimeout, maxSessionTimeout,
                renewFraction, pollInterval, stateMaxAge, commitInterval, on);
    }

    public GroupSettings withDefaultSessionTimeout(Duration d) {
        return new GroupSettings(instanceId, d, minSessionTimeout, maxSessionTimeout,
                renewFraction, pollInterval, stateMaxAge, commitInterval, backgroundThreads);
    }
}
