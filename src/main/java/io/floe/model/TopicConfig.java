package io.floe.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A topic's configuration overrides, under Kafka 4.3's names, types, defaults and validation rules
 * ({@link TopicConfigDef}). Only overrides are stored; {@link #effective()} adds the defaults.
 *
 * <p>This is the one home of topic-config validation: both front doors (Kafka's CreateTopics,
 * AlterConfigs and IncrementalAlterConfigs, and REST) reach it through {@link #validated} and
 * {@link #with}, and a refusal is an {@link ErrorCode#INVALID_CONFIG} carrying Kafka's own message
 * ("Unknown topic config name: …", "Invalid value … for configuration …: …"). The canonical
 * constructor does not validate; configs read back from the bucket go through {@link #stored}, which
 * checks names and types but not ranges (they were validated when written, possibly under older,
 * looser rules, and must stay readable). Values are
 * stored in Kafka's canonical string form ({@code " 100 "} becomes {@code 100}, {@code "compact, delete"}
 * becomes {@code compact,delete}). Immutable.
 */
public record TopicConfig(Map<String, String> overrides) {

    public static final String RETENTION_MS = org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG;
    public static final String RETENTION_BYTES = org.apache.kafka.common.config.TopicConfig.RETENTION_BYTES_CONFIG;
    public static final String CLEANUP_POLICY = org.apache.kafka.common.config.TopicConfig.CLEANUP_POLICY_CONFIG;
    public static final String MAX_MESSAGE_BYTES = org.apache.kafka.common.config.TopicConfig.MAX_MESSAGE_BYTES_CONFIG;
    public static final String MIN_COMPACTION_LAG_MS = org.apache.kafka.common.config.TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG;
    public static final String MAX_COMPACTION_LAG_MS = org.apache.kafka.common.config.TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG;
    public static final String DELETE_RETENTION_MS = org.apache.kafka.common.config.TopicConfig.DELETE_RETENTION_MS_CONFIG;
    public static final String MIN_CLEANABLE_DIRTY_RATIO = org.apache.kafka.common.config.TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG;
    public static final String SEGMENT_BYTES = org.apache.kafka.common.config.TopicConfig.SEGMENT_BYTES_CONFIG;
    public static final String SEGMENT_MS = org.apache.kafka.common.config.TopicConfig.SEGMENT_MS_CONFIG;
    public static final String MESSAGE_TIMESTAMP_TYPE = org.apache.kafka.common.config.TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG;
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS =
            org.apache.kafka.common.config.TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG;
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS =
            org.apache.kafka.common.config.TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG;
    public static final String COMPRESSION_TYPE = org.apache.kafka.common.config.TopicConfig.COMPRESSION_TYPE_CONFIG;
    public static final String REMOTE_STORAGE_ENABLE = org.apache.kafka.common.config.TopicConfig.REMOTE_LOG_STORAGE_ENABLE_CONFIG;

    /** Every described name (Kafka's internal ones aside), sorted. */
    private static final Set<String> NAMES;
    private static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> defaults = new TreeMap<>();
        TopicConfigDef.DEF.configKeys().values().stream().filter(k -> !k.internalConfig)
                .forEach(k -> defaults.put(k.name, ConfigDef.convertToString(k.defaultValue, k.type)));
        DEFAULTS = java.util.Collections.unmodifiableMap(defaults);
        NAMES = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(defaults.keySet()));
    }

    public TopicConfig {
        overrides = java.util.Collections.unmodifiableMap(new TreeMap<>(overrides));
    }

    public static TopicConfig empty() {
        return new TopicConfig(Map.of());
    }

    /**
     * The overrides, each name known to Kafka 4.3 and each value valid, in canonical form; throws
     * INVALID_CONFIG with Kafka's message otherwise.
     */
    public static TopicConfig validated(Map<String, String> overrides) {
        checkNames(overrides);
        Map<String, String> checked = new TreeMap<>();
        overrides.forEach((k, v) -> checked.put(k, validate(k, v)));
        TopicConfig c = new TopicConfig(checked);
        c.checkTogether();
        return c;
    }

    /**
     * Overrides read back from the bucket: every name must be known and every value must parse as its
     * type (else INVALID_CONFIG, which the format reports as corruption), but ranges are not re-checked,
     * so that a value an older Floe accepted under looser rules stays readable.
     */
    public static TopicConfig stored(Map<String, String> overrides) {
        checkNames(overrides);
        overrides.forEach((k, v) -> {
            try {
                ConfigDef.parseType(k, v, TopicConfigDef.DEF.configKeys().get(k).type);
            } catch (ConfigException e) {
                throw new FloeException(ErrorCode.INVALID_CONFIG, e.getMessage());
            }
        });
        return new TopicConfig(overrides);
    }

    /** The names Floe describes (every non-internal topic config of Kafka 4.3), sorted. */
    public static Set<String> names() {
        return NAMES;
    }

    /** Whether Kafka accepts {@code name} as a topic config (internal ones included). */
    public static boolean isKnown(String name) {
        return TopicConfigDef.DEF.configKeys().containsKey(name);
    }

    /** Whether {@code name} holds a comma-separated list (the only kind IncrementalAlterConfigs may APPEND to or SUBTRACT from). */
    public static boolean isList(String name) {
        ConfigDef.ConfigKey k = TopicConfigDef.DEF.configKeys().get(name);
        return k != null && k.type == ConfigDef.Type.LIST;
    }

    /** The Kafka type of {@code name}'s values ({@code LONG}, {@code LIST}…, as {@code ConfigDef.Type} spells it). */
    public static String type(String name) {
        return TopicConfigDef.DEF.configKeys().get(name).type.name();
    }

    /** Kafka's documentation of {@code name}. */
    public static String documentation(String name) {
        return TopicConfigDef.DEF.configKeys().get(name).documentation;
    }

    public static String defaultValue(String name) {
        return DEFAULTS.get(name);
    }

    /** Checks one setting and returns its canonical value; throws INVALID_CONFIG with Kafka's message. */
    public static String validate(String name, String value) {
        ConfigDef.ConfigKey key = TopicConfigDef.DEF.configKeys().get(name);
        if (key == null) {
            throw unknown(List.of(name));
        }
        if (value == null) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, "Null value not supported for topic configs: " + name);
        }
        try {
            Object parsed = ConfigDef.parseType(name, value, key.type);
            if (key.type == ConfigDef.Type.LIST) {
                parsed = new ArrayList<>(new LinkedHashSet<>((List<?>) parsed));
            }
            if (key.validator != null) {
                key.validator.ensureValid(name, parsed);
            }
            return ConfigDef.convertToString(parsed, key.type);
        } catch (ConfigException e) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, e.getMessage());
        }
    }

    private static void checkNames(Map<String, String> overrides) {
        List<String> unknown = overrides.keySet().stream().filter(n -> !isKnown(n)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw unknown(unknown);
        }
    }

    private static FloeException unknown(List<String> names) {
        return new FloeException(ErrorCode.INVALID_CONFIG, names.size() == 1
                ? "Unknown topic config name: " + names.get(0)
                : "Unknown topic config names: " + String.join(", ", names));
    }

    /** Kafka's rules that span configs (LogConfig.validate on a broker without tiered storage). */
    private void checkTogether() {
        long minLag = getLong(MIN_COMPACTION_LAG_MS);
        long maxLag = getLong(MAX_COMPACTION_LAG_MS);
        if (minLag > maxLag) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, "conflict topic config setting " + MIN_COMPACTION_LAG_MS
                    + " (" + minLag + ") > " + MAX_COMPACTION_LAG_MS + " (" + maxLag + ")");
        }
        if (Boolean.parseBoolean(get(REMOTE_STORAGE_ENABLE))) {
            // Floe has one tier, the bucket: it answers as a Kafka broker with tiered storage off (D63).
            throw new FloeException(ErrorCode.INVALID_CONFIG,
                    "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.");
        }
    }

    /** All described settings with defaults applied, sorted by name. */
    public Map<String, String> effective() {
        Map<String, String> all = new LinkedHashMap<>();
        NAMES.forEach(k -> all.put(k, get(k)));
        return all;
    }

    public boolean isDefault(String name) {
        return !overrides.containsKey(name);
    }

    public String get(String name) {
        String v = overrides.get(name);
        return v != null ? v : DEFAULTS.get(name);
    }

    public long getLong(String name) {
        return Long.parseLong(get(name));
    }

    public int maxMessageBytes() {
        return (int) getLong(MAX_MESSAGE_BYTES);
    }

    /** The items of a list config ({@code cleanup.policy}: delete, compact, both or none). */
    public List<String> getList(String name) {
        String v = get(name);
        return v == null || v.isBlank() ? List.of() : List.of(v.split(","));
    }

    /**
     * A copy with {@code name} set (validated), or removed (back to default) when value is null; the
     * cross-config rules are checked on the result. Other stored overrides are not re-validated.
     */
    public TopicConfig with(String name, String value) {
        return value == null ? with(Map.of(), Set.of(name)) : with(Map.of(name, value), Set.of());
    }

    /**
     * A copy with every config of {@code set} set (each validated) and every one of {@code reset} back to
     * its default, the cross-config rules checked once on the result (as Kafka checks an AlterConfigs
     * request as a whole, so that no order of the changes matters).
     */
    public TopicConfig with(Map<String, String> set, Set<String> reset) {
        Map<String, String> m = new TreeMap<>(overrides);
        List<String> unknown = java.util.stream.Stream.concat(set.keySet().stream(), reset.stream())
                .filter(n -> !isKnown(n)).distinct().sorted().toList();
        if (!unknown.isEmpty()) {
            throw unknown(unknown);
        }
        set.forEach((k, v) -> m.put(k, validate(k, v)));
        reset.forEach(m::remove);
        TopicConfig c = new TopicConfig(m);
        c.checkTogether();
        return c;
    }

    /**
     * A copy with {@code items} (comma-separated) appended to, or removed from, the list config
     * {@code name} (IncrementalAlterConfigs' APPEND and SUBTRACT); INVALID_CONFIG for a config that is
     * not a list, with Kafka's message.
     */
    public TopicConfig withListChange(String name, String items, boolean append) {
        if (!isKnown(name)) {
            throw unknown(List.of(name));
        }
        if (!isList(name)) {
            // Kafka's words, for SUBTRACT too.
            throw new FloeException(ErrorCode.INVALID_CONFIG, "Config value append is not allowed for config key: " + name);
        }
        Set<String> now = new LinkedHashSet<>(getList(name));
        List<String> change = items == null || items.isBlank() ? List.of()
                : java.util.Arrays.stream(items.split(",")).map(String::trim).toList();
        if (append) {
            now.addAll(change);
        } else {
            now.removeAll(new TreeSet<>(change));
        }
        return with(name, String.join(",", now));
    }
}
