package io.floe.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bucket layout: every key Floe writes is spelled here and nowhere else. All keys are relative
 * to the store's root (the configured prefix). docs/FORMAT.md section 1 shows the same table;
 * {@code BucketLayoutTest} checks that the two agree.
 *
 * <pre>
 * cluster                                      cluster id, created once
 * topics/{topicName}                           topic metadata, compare-and-swapped
 * deleted-topics/{topicId}                     left by deletion, for background cleanup
 * data/{topicId}/commits/{sequence:%020d}      the topic's commit chain
 * data/{topicId}/checkpoints/{sequence:%020d}  summary of the chain up to that commit
 * segments/{epochMillis:%013d}-{writerId}-{counter}   one flush's data, many partitions of many topics
 * merged/{topicId}/{epochMillis:%013d}-p{partition}-o{baseOffset}-e{epoch}-{holder}-{n}
 * janitor/lease, janitor/ledger                the janitor's lease and deletion ledger
 * producer-ids                                 the next unallocated producer id
 * groups/{escapedGroupId}/state                a consumer group
 * group-offsets/{escapedGroupId}/{escapedMemberId}   one member's offset commits
 * instances/{escapedInstanceId}                who runs under a floe.instance-id (duplicate detection)
 * share-groups/{escapedGroupId}                a share group's members (KIP-932)
 * share-partitions/{escapedGroupId}/{topicId}/{partition}   a share-partition's delivery state
 * </pre>
 *
 * <p>Ids chosen by users (group ids, later transactional ids) may hold any character; keys allow only
 * {@code [A-Za-z0-9._/-]}, so they pass through {@link #escape}. Stateless.
 */
public final class BucketLayout {

    /** The key patterns in the order docs/FORMAT.md lists them (its section 1 table must match). */
    public static final List<String> PATTERNS = List.of(
            "cluster",
            "topics/{topicName}",
            "deleted-topics/{topicId}",
            "data/{topicId}/commits/{sequence:%020d}",
            "data/{topicId}/checkpoints/{sequence:%020d}",
            "segments/{epochMillis:%013d}-{writerId}-{counter}",
            "merged/{topicId}/{epochMillis:%013d}-p{partition}-o{baseOffset}-e{epoch}-{holder}-{n}",
            "janitor/lease",
            "janitor/ledger",
            "producer-ids",
            "groups/{escapedGroupId}/state",
            "group-offsets/{escapedGroupId}/{escapedMemberId}",
            "transactions/{escapedTransactionalId}",
            "transaction-offsets/{escapedGroupId}/{escapedTransactionalId}",
            "instances/{escapedInstanceId}",
            "security/users",
            "security/acls",
            "share-groups/{escapedGroupId}",
            "share-partitions/{escapedGroupId}/{topicId}/{partition}");

    public static final String CLUSTER = "cluster";
    public static final String TOPICS = "topics/";
    public static final String DELETED_TOPICS = "deleted-topics/";
    public static final String DATA = "data/";
    /** Prefix of all segment objects; keys continue with the writer's clock, {@code %013d} millis. */
    public static final String SEGMENTS = "segments/";
    /** Prefix of the janitor's merged and compacted objects. */
    public static final String MERGED = "merged/";
    public static final String JANITOR_LEASE = "janitor/lease";
    public static final String JANITOR_LEDGER = "janitor/ledger";
    public static final String PRODUCER_IDS = "producer-ids";
    public static final String GROUPS = "groups/";
    private static final String GROUP_STATE = "/state";
    /** Prefix of the members' offset objects (docs/FORMAT.md §9a). */
    public static final String GROUP_OFFSETS = "group-offsets/";
    public static final String TRANSACTIONS = "transactions/";
    public static final String TRANSACTION_OFFSETS = "transaction-offsets/";
    public static final String INSTANCES = "instances/";
    /** Salted SCRAM credentials of every user (JSON, compare-and-swapped). */
    public static final String SECURITY_USERS = "security/users";
    /** Every ACL (JSON, compare-and-swapped). */
    public static final String SECURITY_ACLS = "security/acls";

    /** Prefix of the share groups' member objects (one per group, listed by ListGroups). */
    public static final String SHARE_GROUPS = "share-groups/";
    /** Prefix of the share-partition state objects. */
    public static final String SHARE_PARTITIONS = "share-partitions/";

    private BucketLayout() {
    }

    public static String topic(String name) {
        return TOPICS + name;
    }

    public static String deletedTopic(String topicId) {
        return DELETED_TOPICS + topicId;
    }

    /** Everything of one topic's chain: its commits and checkpoints. */
    public static String dataPrefix(String topicId) {
        return DATA + topicId + "/";
    }

    public static String commitsPrefix(String topicId) {
        return dataPrefix(topicId) + "commits/";
    }

    public static String commit(String topicId, long sequence) {
        return commitsPrefix(topicId) + String.format("%020d", sequence);
    }

    public static String checkpointsPrefix(String topicId) {
        return dataPrefix(topicId) + "checkpoints/";
    }

    public static String checkpoint(String topicId, long sequence) {
        return checkpointsPrefix(topicId) + String.format("%020d", sequence);
    }

    /** The sequence number at the end of a commit or checkpoint key. */
    public static long sequenceOf(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
    }

    public static String segment(long epochMillis, String writerId, long counter) {
        return String.format("%s%013d-%s-%d", SEGMENTS, epochMillis, writerId, counter);
    }

    /**
     * A {@code start-after} key for listing the segments whose key timestamp is {@code epochMillis} or
     * later: it sorts after every segment key of an earlier millisecond and before those of that one.
     */
    public static String segmentsBefore(long epochMillis) {
        return String.format("%s%013d.", SEGMENTS, Math.max(0, epochMillis - 1)); // "." sorts right after "-"
    }

    /** The claim of a {@code floe.instance-id} by the process running under it. */
    public static String instanceClaim(String instanceId) {
        return INSTANCES + escape(instanceId);
    }

    public static String mergedPrefix(String topicId) {
        return MERGED + topicId + "/";
    }

    /** A merged or compacted object of one partition, written by the janitor lease holder of {@code epoch}. */
    public static String merged(String topicId, long epochMillis, int partition, long baseOffset, long epoch,
                                String holder, long n) {
        return String.format("%s%013d-p%d-o%d-e%d-%s-%d", mergedPrefix(topicId), epochMillis, partition, baseOffset,
                epoch, holder, n);
    }

    public static String groupState(String groupId) {
        return GROUPS + escape(groupId) + GROUP_STATE;
    }

    /** The group id of a group state key, or null if the key is not one. */
    public static String groupOf(String key) {
        if (!key.startsWith(GROUPS) || !key.endsWith(GROUP_STATE)) {
            return null;
        }
        String escaped = key.substring(GROUPS.length(), key.length() - GROUP_STATE.length());
        return escaped.contains("/") ? null : unescape(escaped);
    }

    /** Where the member offset objects of one group are listed (docs/FORMAT.md §9a). */
    public static String groupOffsetsPrefix(String groupId) {
        return GROUP_OFFSETS + escape(groupId) + "/";
    }

    /** The offset commits of one member of a group (docs/FORMAT.md §9a). */
    public static String groupMemberOffsets(String groupId, String memberId) {
        return groupOffsetsPrefix(groupId) + escape(memberId);
    }

    /** The member id of a key listed under {@link #groupOffsetsPrefix}, or null if the key is not one. */
    public static String memberOfOffsets(String prefix, String key) {
        return idAfter(prefix, key);
    }

    /** The member object of a share group (docs/FORMAT.md §13). */
    public static String shareGroup(String groupId) {
        return SHARE_GROUPS + escape(groupId);
    }

    /** The share group id of a share group key, or null if the key is not one. */
    public static String shareGroupOf(String key) {
        return idAfter(SHARE_GROUPS, key);
    }

    /** Where the share-partitions of one share group are listed. */
    public static String sharePartitionsPrefix(String groupId) {
        return SHARE_PARTITIONS + escape(groupId) + "/";
    }

    /** The delivery state of one share-partition (docs/FORMAT.md §13). */
    public static String sharePartition(String groupId, String topicId, int partition) {
        return sharePartitionsPrefix(groupId) + topicId + "/" + partition;
    }

    /** The topic id of a share-partition key ({@link #sharePartition}), or null if the key is not one. */
    public static String sharePartitionTopicId(String key) {
        if (!key.startsWith(SHARE_PARTITIONS)) {
            return null;
        }
        String[] parts = key.substring(SHARE_PARTITIONS.length()).split("/", -1);
        return parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty() && !parts[2].isEmpty() ? parts[1] : null;
    }

    /** The state object of a transactional id (docs/FORMAT.md §11). */
    public static String transaction(String transactionalId) {
        return TRANSACTIONS + escape(transactionalId);
    }

    /** The transactional id of a transaction state key, or null if the key is not one. */
    public static String transactionalIdOf(String key) {
        return idAfter(TRANSACTIONS, key);
    }

    /** Where a group's "offsets pending in a transaction" markers are listed. */
    public static String transactionOffsetsPrefix(String groupId) {
        return TRANSACTION_OFFSETS + escape(groupId) + "/";
    }

    /** Exists while transaction {@code transactionalId} may hold offsets of {@code groupId}. */
    public static String transactionOffsets(String groupId, String transactionalId) {
        return transactionOffsetsPrefix(groupId) + escape(transactionalId);
    }

    /** The transactional id of a marker key listed under {@link #transactionOffsetsPrefix}, or null. */
    public static String transactionalIdOfOffsets(String prefix, String key) {
        return idAfter(prefix, key);
    }

    /** The unescaped id of a key that is {@code prefix} plus one escaped segment, or null if it is not one. */
    private static String idAfter(String prefix, String key) {
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            return null;
        }
        String escaped = key.substring(prefix.length());
        return escaped.contains("/") ? null : unescape(escaped);
    }

    /**
     * A user-chosen id as one key segment: {@code [A-Za-z0-9.-]} verbatim, every other byte of its
     * UTF-8 form (and {@code _} itself) as {@code _XX} in upper-case hex; {@code .} and {@code ..},
     * not valid segments, are escaped too. {@link #unescape} inverts it.
     */
    public static String escape(String id) {
        StringBuilder sb = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        String s = sb.toString();
        return s.equals(".") ? "_2E" : s.equals("..") ? "_2E_2E" : s;
    }

    public static String unescape(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '_' && i + 2 < escaped.length()) {
                out.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
