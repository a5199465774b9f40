package io.floe.group;

import java.time.Duration;

/**
 * Tunables of the group engine, as plain values. The runtime maps {@code floe.group.*} to this and
 * checks the values (io.floe.runtime.FloeSettings); the defaults are FloeConfig's.
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

    /** The session timeouts a member may ask for (Kafka's group.min/max.session.timeout.ms). */
    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);
    /** Renew a member's lease at half-life: a stable group writes once per half session timeout. */
    public static final double RENEW_FRACTION = 0.5;
    /** How long a heartbeat may trust a group object this instance read. */
    public static final Duration STATE_MAX_AGE = Duration.ofSeconds(1);

    public GroupSettings withBackgroundThreads(boolean on) {
        return new GroupSettings(instanceId, defaultSessionTimeout, minSessionTimeout, maxSessionTimeout,
                renewFraction, pollInterval, stateMaxAge, commitInterval, on);
    }

    public GroupSettings withDefaultSessionTimeout(Duration d) {
        return new GroupSettings(instanceId, d, minSessionTimeout, maxSessionTimeout,
                renewFraction, pollInterval, stateMaxAge, commitInterval, backgroundThreads);
    }
}
