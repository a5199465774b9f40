package io.floe.runtime;

import io.floe.group.GroupSettings;
import io.floe.janitor.JanitorSettings;
import io.floe.log.LogSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Floe's default settings for code that builds components without Quarkus (tests, simulations,
 * benchmarks, the Lambda packaging checks): {@link FloeConfig}'s {@code @WithDefault} values, read
 * through SmallRye Config and checked by {@link FloeSettings} exactly as at start-up. FloeConfig is the
 * only place a default is written. Stateless; each call reads the mapping afresh (cheap, tests only).
 */
public final class Defaults {

    private Defaults() {
    }

    /** The log engine's default settings, under the given instance id. */
    public static LogSettings log(String instanceId) {
        LogSettings d = checked().log();
        return new LogSettings(instanceId, d.linger(), d.flushBytes(), d.flushRecords(), d.inlineBytes(),
                d.maxBufferedBytes(), d.cacheBytes(), d.pollInterval(), d.checkpointEvery(), d.metadataMaxAge(),
                d.backgroundThreads(), d.flushMaxInFlight(), d.flushMaxLinger());
    }

    /** The group engine's default settings, under the given instance id. */
    public static GroupSettings group(String instanceId) {
        GroupSettings d = checked().group();
        return new GroupSettings(instanceId, d.defaultSessionTimeout(), d.minSessionTimeout(), d.maxSessionTimeout(),
                d.renewFraction(), d.pollInterval(), d.stateMaxAge(), d.commitInterval(), d.backgroundThreads());
    }

    /** The janitor's default settings. */
    public static JanitorSettings janitor() {
        return checked().janitor();
    }

    static FloeConfig config() {
        SmallRyeConfig c = new SmallRyeConfigBuilder()
                .withMapping(FloeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .build();
        return c.getConfigMapping(FloeConfig.class);
    }

    private static FloeSettings.Checked checked() {
        return FloeSettings.check(config(), new SplittableRandom(0));
    }
}
