package io.floe.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A topic's configuration overrides, validated against the settings Floe understands (Kafka's
 * names and meanings). Only overrides are stored; {@link #effective()} adds the defaults.
 */
public record TopicConfig(Map<String, String> overrides) {

    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String COMPRESSION_TYPE = "compression.type";

    private record Setting(String defaultValue, Predicate<String> valid, String accepted) {
    }

    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put(RETENTION_MS, new Setting("604800000", v -> longAtLeast(v, -1), "an integer >= -1 (-1: forever)"));
        SETTINGS.put(RETENTION_BYTES, new Setting("-1", v -> longAtLeast(v, -1), "an integer >= -1 (-1: unlimited)"));
        SETTINGS.put(CLEANUP_POLICY, new Setting("delete",
                v -> Set.of("delete", "compact", "compact,delete", "delete,compact").contains(v.replace(" ", "")),
                "delete, compact or compact,delete"));
        SETTINGS.put(MAX_MESSAGE_BYTES, new Setting("1048588", v -> longAtLeast(v, 0) && Long.parseLong(v) <= Integer.MAX_VALUE,
                "an integer from 0 to 2147483647"));
        SETTINGS.put(MIN_COMPACTION_LAG_MS, new Setting("0", v -> longAtLeast(v, 0), "an integer >= 0"));
        SETTINGS.put(DELETE_RETENTION_MS, new Setting("86400000", v -> longAtLeast(v, 0), "an integer >= 0"));
        SETTINGS.put(SEGMENT_BYTES, new Setting("1073741824", v -> longAtLeast(v, 14), "an integer >= 14"));
        SETTINGS.put(MESSAGE_TIMESTAMP_TYPE, new Setting("CreateTime", v -> v.equals("CreateTime") || v.equals("LogAppendTime"),
                "CreateTime or LogAppendTime"));
        SETTINGS.put(COMPRESSION_TYPE, new Setting("producer",
                v -> Set.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd").contains(v),
                "producer, uncompressed, gzip, snappy, lz4 or zstd"));
    }

    public TopicConfig {
        Map<String, String> checked = new TreeMap<>();
        for (var e : overrides.entrySet()) {
            checked.put(e.getKey(), validate(e.getKey(), e.getValue()));
        }
        overrides = Map.copyOf(checked);
    }

    public static TopicConfig empty() {
        return new TopicConfig(Map.of());
    }

    /** The names Floe accepts, in a stable order. */
    public static Set<String> names() {
        return SETTINGS.keySet();
    }

    public static String defaultValue(String name) {
        Setting s = SETTINGS.get(name);
        return s == null ? null : s.defaultValue();
    }

    /** Checks one setting and returns its normalised value; throws INVALID_CONFIG naming what is accepted. */
    public static String validate(String name, String value) {
        Setting s = SETTINGS.get(name);
        if (s == null) {
            throw new FloeException(ErrorCode.INVALID_CONFIG,
                    "Unknown topic config '" + name + "'; accepted: " + String.join(", ", SETTINGS.keySet()) + ".");
        }
        String v = value == null ? "" : value.trim();
        boolean ok;
        try {
            ok = s.valid().test(v);
        } catch (NumberFormatException e) {
            ok = false;
        }
        if (!ok) {
            throw new FloeException(ErrorCode.INVALID_CONFIG,
                    "Invalid value '" + value + "' for topic config '" + name + "': expected " + s.accepted() + ".");
        }
        return name.equals(CLEANUP_POLICY) ? v.replace(" ", "") : v;
    }

    /** All settings with defaults applied. */
    public Map<String, String> effective() {
        Map<String, String> all = new LinkedHashMap<>();
        SETTINGS.forEach((k, s) -> all.put(k, overrides.getOrDefault(k, s.defaultValue())));
        return all;
    }

    public boolean isDefault(String name) {
        return !overrides.containsKey(name);
    }

    public String get(String name) {
        return effective().get(name);
    }

    public long getLong(String name) {
        return Long.parseLong(get(name));
    }

    public int maxMessageBytes() {
        return (int) getLong(MAX_MESSAGE_BYTES);
    }

    /** A copy with {@code name} set, or removed (back to default) when value is null. */
    public TopicConfig with(String name, String value) {
        Map<String, String> m = new TreeMap<>(overrides);
        if (value == null) {
            if (!SETTINGS.containsKey(name)) {
                validate(name, "");
            }
            m.remove(name);
        } else {
            m.put(name, value);
        }
        return new TopicConfig(m);
    }

    private static boolean longAtLeast(String v, long min) {
        return Long.parseLong(v) >= min;
    }
}
