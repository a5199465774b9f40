package io.floe.share;

import io.floe.format.BucketLayout;
import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.Topic;
import io.floe.model.TopicPartition;
import io.floe.store.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Share groups (KIP-932, "queues"): records of a topic handed out one by one to any number of members,
 * acknowledged individually, redelivered after a lock timeout, archived after a delivery limit. For both
 * front doors. Any instance serves any share group:
 * <ul>
 * <li>membership ({@link #heartbeat}) is one object per group, {@code share-groups/{group}}, changed by
 *     compare-and-swap (rules in {@link ShareMembership});</li>
 * <li>delivery state is one object per share-partition, {@code share-partitions/{group}/{topicId}/{partition}}
 *     ({@link SharePartitionState}); a fetch or acknowledgement writes each share-partition it touches
 *     once, covering every acknowledgement and acquisition of the request (one compare-and-swap).</li>
 * </ul>
 * Acquisition locks expire by the clock, lazily: no timer, no write; the next fetch redelivers. The lock
 * deadline is the acquiring instance's clock plus the lock duration, so instances' clocks must agree to
 * well within a lock duration (docs/DECISIONS.md D74).
 *
 * <p>This class is the facade: membership rules are {@link ShareMembership}'s, delivery state
 * {@link SharePartitionState}'s, one share-partition of a request is served by {@link SharePartitionServer},
 * and {@link ShareObjects} alone reads and writes the bucket.
 *
 * <p>Errors are {@link FloeException}s: UNKNOWN_MEMBER, FENCED_MEMBER_EPOCH, INVALID_RECORD_STATE,
 * UNKNOWN_GROUP, UNKNOWN_TOPIC, UNKNOWN_PARTITION, STORE_UNAVAILABLE, CONCURRENT_UPDATE. Thread-safe:
 * the bucket is the truth; calls block on the store (run them off event loops).
 */
public final class ShareGroups {

    private final LogEngine log;
    private final Clock clock;
    private final ShareSettings settings;
    private final ShareObjects objects;
    private final ObjectStore store;
    private final java.util.concurrent.atomic.AtomicLong fetches = new java.util.concurrent.atomic.AtomicLong();
    private final SharePartitionServer server;

    public ShareGroups(ObjectStore store, LogEngine log, Clock clock, RandomGenerator random, ShareSettings settings) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.settings = settings;
        this.objects = new ShareObjects(store, log.retry(), clock, random, settings.instanceId());
        this.server = new SharePartitionServer(log, clock, settings, objects, topics);
    }

    public ShareSettings settings() {
        return settings;
    }

    // ---- membership ------------------------------------------------------------------------------

    /**
     * A member's heartbeat: joins (epoch 0), stays (its current epoch), or leaves (-1, releasing the
     * records it holds). Creates the group on the first join. Writes only when membership, assignment or
     * start offsets change, or the member's lease is due for renewal. Errors: UNKNOWN_MEMBER,
     * FENCED_MEMBER_EPOCH, INVALID_REQUEST, INVALID_GROUP_ID (the id names a consumer group).
     */
    public ShareHeartbeatResult heartbeat(ShareHeartbeat hb) {
        checkGroupId(hb.groupId());
        long now = clock.millis();
        Optional<ShareGroupDoc> cached = objects.readGroupCached(hb.groupId(), settings.groupMaxAge().toMillis());
        if (cached.isEmpty() && hb.memberEpoch() == ShareHeartbeat.JOIN) {
            refuseConsumerGroupId(hb.groupId());
        }
        if (cached.isPresent() && hb.memberEpoch() > 0) {
            // The common case, a stable member: answer from our copy when nothing is due.
            try {
                ShareMembership.Step quick = step(cached.get(), hb, now);
                if (quick.next() == null) {
                    return quick.result();
                }
            } catch (FloeException staleCopy) {
                // our copy may be older than the member's last heartbeat elsewhere: decide on a fresh read
            }
        }
        ShareHeartbeatResult r = objects.updateGroup(hb.groupId(), doc -> {
            ShareMembership.Step s = step(doc, hb, now);
            return new ShareObjects.Change<>(s.next(), s.result());
        });
        if (hb.memberEpoch() == ShareHeartbeat.LEAVE) {
            cached.ifPresent(doc -> {
                ShareMember m = doc.members().get(hb.memberId());
                if (m != null) {
                    release(hb.groupId(), hb.memberId(), partitionsOf(m));
                }
            });
        }
        return r;
    }

    /**
     * Makes {@code memberId} a member subscribed to {@code topics} for a caller that keeps no epoch (a REST
     * worker): a heartbeat at its current epoch when it is a member with these topics (no write unless its
     * lease is due), else a join. Returns the member with its assignment.
     */
    public ShareMember ensureMember(String groupId, String memberId, List<String> topics, String clientId, String clientHost) {
        checkGroupId(groupId);
        List<String> sorted = topics.stream().sorted().distinct().toList();
        ShareMember known = objects.readGroupCached(groupId, settings.groupMaxAge().toMillis())
                .map(d -> d.members().get(memberId)).orElse(null);
        boolean current = known != null && known.leaseExpiresAtMs() > clock.millis() && known.topics().equals(sorted);
        try {
            heartbeat(new ShareHeartbeat(groupId, memberId, current ? known.memberEpoch() : ShareHeartbeat.JOIN, clientId, clientHost,
                    null, current ? null : sorted));
        } catch (FloeException e) {
            if (!current || e.code() != ErrorCode.FENCED_MEMBER_EPOCH && e.code() != ErrorCode.UNKNOWN_MEMBER) {
                throw e;
            }
            heartbeat(new ShareHeartbeat(groupId, memberId, ShareHeartbeat.JOIN, clientId, clientHost, null, sorted));
        }
        return objects.readGroupCached(groupId, settings.groupMaxAge().toMillis()).map(d -> d.members().get(memberId))
                .orElseThrow(() -> new FloeException(ErrorCode.UNKNOWN_MEMBER, "Member " + memberId + " left share group '"
                        + groupId + "' meanwhile; try again."));
    }

    /** The partitions assigned to a member, for a fetch. */
    public static List<TopicPartition> assigned(ShareMember m) {
        return partitionsOf(m);
    }

    private ShareMembership.Step step(ShareGroupDoc doc, ShareHeartbeat hb, long now) {
        return ShareMembership.heartbeat(doc, hb, now, (int) settings.sessionTimeout().toMillis(),
                (int) settings.heartbeatInterval().toMillis(), settings.renewFraction(), topics);
    }

    private final ShareMembership.Topics topics = new ShareMembership.Topics() {
        @Override
        public Optional<ShareMembership.TopicInfo> topic(String name) {
            try {
                Topic t = log.topic(name);
                return Optional.of(new ShareMembership.TopicInfo(t.id(), t.partitions()));
            } catch (FloeException e) {
                if (e.code() == ErrorCode.UNKNOWN_TOPIC || e.code() == ErrorCode.INVALID_TOPIC_NAME) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        @Override
        public long initialStart(String topic, int partition, String reset) {
            PartitionOffsets o = log.offsets(topic, partition);
            return ShareGroupDoc.EARLIEST.equals(reset) ? o.logStartOffset() : o.endOffset();
        }
    };

    private static List<TopicPartition> partitionsOf(ShareMember m) {
        List<TopicPartition> out = new ArrayList<>();
        m.assignment().forEach((t, ps) -> ps.forEach(p -> out.add(new TopicPartition(t, p))));
        return out;
    }

    private static void checkGroupId(String groupId) {
        if (groupId == null || groupId.isEmpty() || groupId.length() > 249) {
            throw new FloeException(ErrorCode.INVALID_GROUP_ID, "A share group id must have 1 to 249 characters.");
        }
    }

    /** Group ids are one namespace: a consumer group's id cannot name a share group (Kafka's rule). */
    private void refuseConsumerGroupId(String groupId) {
        boolean consumerGroup = log.retry().call("read group " + groupId, () -> store.get(BucketLayout.groupState(groupId))).isPresent();
        if (consumerGroup) {
            throw new FloeException(ErrorCode.UNKNOWN_GROUP, "Group " + groupId + " is not a share group."); // Kafka's answer
        }
    }

    /** The ids of every share group, sorted. */
    public List<String> groupIds() {
        return objects.groupIds();
    }

    /** A share group's object as stored (members with assignments, epochs, start offsets); empty when it does not exist. */
    public Optional<ShareGroupDoc> describe(String groupId) {
        return objects.readGroup(groupId).map(d -> {
            java.util.TreeMap<String, ShareMember> live = new java.util.TreeMap<>(d.members());
            ShareMembership.expire(live, clock.millis());
            return live.size() == d.members().size() ? d : d.with(d.groupEpoch(), live, d.starts());
        });
    }

    /** Sets the group's {@code share.auto.offset.reset} (latest or earliest) for share-partitions not yet started; creates the group. */
    public void setAutoOffsetReset(String groupId, String reset) {
        alterConfigs(groupId, reset, Map.of(), java.util.Set.of());
    }

    /**
     * Changes the group's configs in one write, creating the group: {@code reset} ({@code
     * share.auto.offset.reset}; null: unchanged), limits to set ({@link ShareGroupDoc#LOCK_DURATION_MS},
     * {@link ShareGroupDoc#DELIVERY_COUNT_LIMIT}) and limits to drop (back to the instance's). Values are
     * checked by the caller (api.kafka's GroupConfigs, with Kafka's bounds). UNKNOWN_GROUP for a consumer group's id.
     */
    public void alterConfigs(String groupId, String reset, Map<String, Integer> setLimits, Collection<String> dropLimits) {
        checkGroupId(groupId);
        if (reset != null && !ShareGroupDoc.LATEST.equals(reset) && !ShareGroupDoc.EARLIEST.equals(reset)) {
            throw new FloeException(ErrorCode.INVALID_CONFIG, "share.auto.offset.reset must be latest or earliest: " + reset);
        }
        if (objects.readGroup(groupId).isEmpty()) {
            refuseConsumerGroupId(groupId);
        }
        objects.updateGroup(groupId, doc -> {
            String r = reset == null ? doc.autoOffsetReset() : reset;
            java.util.TreeMap<String, Integer> limits = new java.util.TreeMap<>(doc.limits());
            dropLimits.forEach(limits::remove);
            limits.putAll(setLimits);
            boolean same = r.equals(doc.autoOffsetReset()) && limits.equals(doc.limits()) && doc.groupEpoch() > 0;
            return new ShareObjects.Change<>(same ? null : doc.withConfigs(r, limits), null);
        });
    }

    /** The limits of the group's share-partitions (the instance's, with the group's configs), from this instance's copy. */
    public ShareLimits limits(String groupId) {
        return objects.readGroupCached(groupId, settings.groupMaxAge().toMillis()).map(d -> d.limits(settings.limits()))
                .orElse(settings.limits());
    }

    /** Deletes a share group with no members, and its share-partitions. GROUP_NOT_EMPTY, UNKNOWN_GROUP. */
    public void deleteGroup(String groupId) {
        ShareGroupDoc d = describe(groupId).orElseThrow(() -> unknownGroup(groupId));
        if (!d.members().isEmpty()) {
            throw new FloeException(ErrorCode.GROUP_NOT_EMPTY, "Share group '" + groupId + "' has members.");
        }
        objects.deleteGroup(groupId);
    }

    /**
     * The start offset (SPSO) of every share-partition the group has started, by topic and partition:
     * records before it are all acknowledged or archived. UNKNOWN_GROUP.
     */
    public Map<TopicPartition, Long> startOffsets(String groupId) {
        ShareGroupDoc d = objects.readGroup(groupId).orElseThrow(() -> unknownGroup(groupId));
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        d.starts().forEach((topic, start) -> start.startOffsets().forEach((p, initial) -> {
            long spso = objects.readPartition(groupId, start.topicId(), p).map(SharePartitionState::startOffset).orElse(initial);
            out.put(new TopicPartition(topic, p), spso);
        }));
        return out;
    }

    /**
     * Sets where share-partitions start (Kafka AlterShareGroupOffsets, {@code kafka-share-groups.sh
     * --reset-offsets}): only while the group has no members (GROUP_NOT_EMPTY); creates the group. What was
     * in flight in those partitions is forgotten: delivery starts again at the new offset. Returns the
     * partitions refused, with why (UNKNOWN_TOPIC, UNKNOWN_PARTITION, INVALID_REQUEST for a negative offset).
     */
    public Map<TopicPartition, FloeException> alterStartOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        checkGroupId(groupId);
        Map<TopicPartition, FloeException> refused = new LinkedHashMap<>();
        Map<TopicPartition, Topic> topicsOf = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> {
            try {
                Topic t = log.topic(tp.topic());
                t.checkPartition(tp.partition());
                if (o < 0) {
                    throw new FloeException(ErrorCode.INVALID_REQUEST, "A start offset cannot be negative: " + o);
                }
                topicsOf.put(tp, t);
            } catch (FloeException e) {
                refused.put(tp, e);
            }
        });
        if (objects.readGroup(groupId).isEmpty()) {
            refuseConsumerGroupId(groupId);
        }
        long now = clock.millis();
        objects.updateGroup(groupId, doc -> {
            java.util.TreeMap<String, ShareMember> live = new java.util.TreeMap<>(doc.members());
            ShareMembership.expire(live, now);
            if (!live.isEmpty()) {
                throw new FloeException(ErrorCode.GROUP_NOT_EMPTY, "Share group '" + groupId + "' has members; stop them first.");
            }
            java.util.TreeMap<String, ShareGroupDoc.TopicStart> starts = new java.util.TreeMap<>(doc.starts());
            topicsOf.forEach((tp, t) -> {
                ShareGroupDoc.TopicStart known = starts.get(tp.topic());
                java.util.TreeMap<Integer, Long> m = known != null && known.topicId().equals(t.id())
                        ? new java.util.TreeMap<>(known.startOffsets()) : new java.util.TreeMap<>();
                m.put(tp.partition(), offsets.get(tp));
                starts.put(tp.topic(), new ShareGroupDoc.TopicStart(t.id(), m));
            });
            return new ShareObjects.Change<>(doc.with(doc.groupEpoch() + 1, live, starts), null);
        });
        topicsOf.forEach((tp, t) -> objects.updatePartition(groupId, t.id(), tp.partition(), SharePartitionState.initial(offsets.get(tp)),
                s -> new ShareObjects.Change<>(SharePartitionState.initial(offsets.get(tp)), null)));
        return refused;
    }

    /**
     * Forgets where the share-partitions of these topics stand (Kafka DeleteShareGroupOffsets, {@code
     * kafka-share-groups.sh --delete-offsets}): only while the group has no members (GROUP_NOT_EMPTY);
     * UNKNOWN_GROUP. The topics leave the group object first (one compare-and-swap), then their
     * share-partition objects are deleted; a member subscribing later starts them again by {@code
     * share.auto.offset.reset}. Returns the topics refused, with why: UNKNOWN_TOPIC for a topic the log does
     * not have or whose share-partitions the group never started.
     */
    public Map<String, FloeException> deleteStartOffsets(String groupId, java.util.Collection<String> topicNames) {
        checkGroupId(groupId);
        if (objects.readGroup(groupId).isEmpty()) {
            throw unknownGroup(groupId);
        }
        long now = clock.millis();
        Map<String, FloeException> refused = new LinkedHashMap<>();
        Map<String, ShareGroupDoc.TopicStart> removed = objects.updateGroup(groupId, doc -> {
            java.util.TreeMap<String, ShareMember> live = new java.util.TreeMap<>(doc.members());
            ShareMembership.expire(live, now);
            if (!live.isEmpty()) {
                throw new FloeException(ErrorCode.GROUP_NOT_EMPTY, "Share group '" + groupId + "' has members; stop them first.");
            }
            java.util.TreeMap<String, ShareGroupDoc.TopicStart> starts = new java.util.TreeMap<>(doc.starts());
            Map<String, ShareGroupDoc.TopicStart> gone = new LinkedHashMap<>();
            for (String name : topicNames) {
                ShareGroupDoc.TopicStart start = starts.remove(name);
                if (start != null) {
                    gone.put(name, start);
                }
            }
            return new ShareObjects.Change<>(gone.isEmpty() ? null : doc.with(doc.groupEpoch() + 1, live, starts), gone);
        });
        for (String name : topicNames) {
            if (removed.containsKey(name)) {
                continue;
            }
            try {
                log.topic(name);
                refused.put(name, new FloeException(ErrorCode.UNKNOWN_TOPIC, "There is no offset information to delete."));
            } catch (FloeException e) {
                refused.put(name, e);
            }
        }
        removed.forEach((name, start) -> start.startOffsets().keySet().forEach(p -> objects.deletePartition(groupId, start.topicId(), p)));
        return refused;
    }

    /** A share-partition's state as stored (tests, operators); empty when nothing was delivered yet. */
    public Optional<SharePartitionState> partitionState(String groupId, TopicPartition tp) {
        return objects.readPartition(groupId, log.topic(tp.topic()).id(), tp.partition());
    }

    private static FloeException unknownGroup(String groupId) {
        return new FloeException(ErrorCode.UNKNOWN_GROUP, "Share group '" + groupId + "' does not exist.");
    }

    // ---- delivery --------------------------------------------------------------------------------

    /**
     * Applies the request's acknowledgements, then acquires records for the member (see {@link ShareFetch}).
     * Per partition, one compare-and-swap covers both. When nothing could be acquired anywhere, waits up to
     * {@code maxWait} for new records and tries once more (acknowledgements are not applied twice).
     * UNKNOWN_MEMBER (whole request) when the member is not in the group.
     */
    public ShareFetchResult fetch(ShareFetch f) {
        ShareGroupDoc group = member(f.groupId(), f.memberId());
        Map<TopicPartition, ShareFetchResult.Partition> out = new LinkedHashMap<>();
        // Members start at different partitions (and move on each call), so that many members of a group
        // do not all contend for the first partition's object while the others wait.
        List<TopicPartition> order = new ArrayList<>(f.partitions());
        if (!order.isEmpty()) {
            java.util.Collections.rotate(order, -Math.floorMod(f.memberId().hashCode() + fetches.getAndIncrement(), order.size()));
        }
        Set<TopicPartition> all = new java.util.LinkedHashSet<>(order);
        Map<TopicPartition, Long> waitAt = new LinkedHashMap<>();
        all.addAll(f.acks().keySet());
        long budget = Math.max(1, f.maxRecords());
        for (TopicPartition tp : all) {
            boolean fetchIt = f.partitions().contains(tp);
            ShareFetchResult.Partition p = server.serve(group, f.memberId(), tp, f.acks().getOrDefault(tp, List.of()),
                    fetchIt ? budget : 0, f.maxBytes(), waitAt);
            budget -= SharePartitionServer.count(p.acquired());
            out.put(tp, p);
        }
        if (budget == Math.max(1, f.maxRecords()) && !f.maxWait().isZero() && !f.partitions().isEmpty()) {
            server.waitForRecords(f.partitions(), waitAt, f.maxWait());
            for (TopicPartition tp : f.partitions()) {
                ShareFetchResult.Partition before = out.get(tp);
                if (before.fetchError() != null || budget <= 0) {
                    continue;
                }
                ShareFetchResult.Partition p = server.serve(group, f.memberId(), tp, List.of(), budget, f.maxBytes(), new LinkedHashMap<>());
                budget -= SharePartitionServer.count(p.acquired());
                out.put(tp, new ShareFetchResult.Partition(before.ackError(), p.fetchError(), p.acquired(), p.batches()));
            }
        }
        return new ShareFetchResult(out);
    }

    /**
     * Applies acknowledgements (Kafka ShareAcknowledge, REST acknowledge): per partition, all of them or
     * none, one write. Returns the partitions refused with why (INVALID_RECORD_STATE: a record not held by
     * the member, for instance after its lock expired; UNKNOWN_TOPIC …); the others were applied.
     * UNKNOWN_MEMBER (whole request).
     */
    public Map<TopicPartition, FloeException> acknowledge(String groupId, String memberId, Map<TopicPartition, List<Acknowledgement>> acks) {
        ShareGroupDoc group = member(groupId, memberId);
        Map<TopicPartition, FloeException> refused = new LinkedHashMap<>();
        acks.forEach((tp, list) -> {
            ShareFetchResult.Partition p = server.serve(group, memberId, tp, list, 0, 0, new LinkedHashMap<>());
            FloeException e = p.fetchError() != null ? p.fetchError() : p.ackError();
            if (e != null) {
                refused.put(tp, e);
            }
        });
        return refused;
    }

    /**
     * Releases every record the member holds in {@code partitions} (it left, or closed its share session),
     * for immediate redelivery to others. A partition it holds nothing in costs one read and no write.
     * Failures are ignored: the locks expire anyway.
     */
    public void release(String groupId, String memberId, Collection<TopicPartition> partitions) {
        ShareLimits limits = partitions.isEmpty() ? settings.limits() : limits(groupId);
        for (TopicPartition tp : partitions) {
            try {
                Topic t = log.topic(tp.topic());
                long now = clock.millis();
                objects.updatePartition(groupId, t.id(), tp.partition(), SharePartitionState.initial(0),
                        s -> new ShareObjects.Change<>(s.releaseMember(memberId, now, limits), null));
            } catch (FloeException e) {
                // the acquisition locks expire by themselves
            }
        }
    }

    /** The group, if {@code memberId} is one of its members (fresh read when our copy does not know it). */
    private ShareGroupDoc member(String groupId, String memberId) {
        checkGroupId(groupId);
        long now = clock.millis();
        Optional<ShareGroupDoc> d = objects.readGroupCached(groupId, settings.groupMaxAge().toMillis());
        if (d.isPresent() && isMember(d.get(), memberId, now)) {
            return d.get();
        }
        d = objects.readGroup(groupId);
        if (d.isEmpty()) {
            throw unknownGroup(groupId);
        }
        if (!isMember(d.get(), memberId, now)) {
            throw new FloeException(ErrorCode.UNKNOWN_MEMBER, "Member " + memberId + " is not in share group '" + groupId
                    + "' (it left or its session expired); join again.");
        }
        return d.get();
    }

    private static boolean isMember(ShareGroupDoc d, String memberId, long now) {
        ShareMember m = memberId == null ? null : d.members().get(memberId);
        return m != null && m.leaseExpiresAtMs() > now;
    }

    /** Number of share-object writes this instance attempted (cost measurements). */
    public long writes() {
        return objects.writes();
    }
}
