package io.floe.group;

import static io.floe.group.GroupChecks.checkMember;
import static io.floe.group.GroupChecks.illegalGeneration;
import static io.floe.group.GroupChecks.rebalancing;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Committed offsets of groups: commits (synchronous, or deferred and written in batches), who may
 * commit, OffsetFetch, OffsetDelete, the flushing of this instance's deferred commits, and the folding
 * of members' offsets objects. A member's synchronous commits go to its own offsets object
 * ({@link MemberOffsetObjects}, D87); other synchronous commits of a group that arrive together share
 * one write of the group object ({@link SyncCommits}); each is answered once its write succeeded.
 * {@link #committed} is the one reader of committed offsets: it merges the group object with the member
 * objects ({@link OffsetMerge}, D88). A deferred commit lost to an unavailable store or a lost race is
 * kept for the next flush; one refused by the group (a fenced member) is dropped.
 *
 * <p>Thread-safe: the group objects are changed only through {@link GroupObjects#update}, member objects
 * only under their member's lock, {@link DeferredCommits} is synchronized, and {@link SyncCommits}
 * serialises the writes of a group (or of a member).
 */
final class Offsets {

    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());

    private final GroupObjects objects;
    private final Topics topics;
    private final Clock clock;
    private final DeferredCommits deferred = new DeferredCommits();
    private final SyncCommits sync = new SyncCommits();
    /** One queue per member offsets key: a member's commits through this instance, written in series. */
    private final SyncCommits memberSync = new SyncCommits();
    private final MemberOffsetObjects members;

    Offsets(GroupObjects objects, MemberOffsetObjects members, Topics topics, Clock clock) {
        this.objects = objects;
        this.members = members;
        this.topics = topics;
        this.clock = clock;
    }

    /** See {@link GroupCoordinator#commit}. */
    Map<TopicPartition, ErrorCode> commit(OffsetCommit c) {
        GroupChecks.checkGroupId(c.groupId());
        Map<TopicPartition, ErrorCode> errors = new TreeMap<>(GroupDoc::compare);
        Map<TopicPartition, CommittedOffset> valid = new TreeMap<>(GroupDoc::compare);
        long now = clock.millis();
        for (var e : c.offsets().entrySet()) {
            TopicPartition tp = e.getKey();
            ErrorCode topicError = topics.topicError(tp);
            if (topicError != null) {
                errors.put(tp, topicError);
            } else if (e.getValue().offset() < 0) {
                errors.put(tp, ErrorCode.OFFSET_OUT_OF_RANGE);
            } else {
                CommittedOffset o = e.getValue();
                valid.put(tp, new CommittedOffset(o.offset(), o.leaderEpoch(), o.metadata(), now));
            }
        }
        if (valid.isEmpty()) {
            return errors;
        }
        if (!c.memberId().isEmpty()) {
            objects.seen(c.groupId(), c.memberId());
        }
        if (c.durability() == OffsetCommit.Durability.DEFERRED) {
            // Check now what can be checked against our copy; the write checks again.
            objects.readCached(c.groupId()).ifPresent(d -> errors.putAll(authorize(d, c, valid)));
            valid.keySet().removeAll(errors.keySet());
            deferred.add(c.groupId(), c.memberId(), c.groupInstanceId(), c.generation(), valid, now);
            return errors;
        }
        if (c.memberId().isEmpty() || c.generation() < 0) {
            // Admin resets, simple consumers and REST members: the group object, as before.
            errors.putAll(sync.commit(c.groupId(), new SyncCommits.Commit(c, valid), batch -> write(c.groupId(), batch)));
            return errors;
        }
        String key = MemberOffsetObjects.key(c.groupId(), c.memberId());
        errors.putAll(memberSync.commit(key, new SyncCommits.Commit(c, valid),
                batch -> writeMember(c.groupId(), c.memberId(), batch)));
        return errors;
    }

    /**
     * Writes a batch of one member's synchronous commits (D87) to the member's own offsets object, in
     * one conditional PUT that does not touch the group object. Each commit is checked against this
     * instance's copy of the group (at most {@link GroupSettings#stateMaxAge()} old); one the copy does
     * not accept as it is — the copy may be stale, so it may refuse a member that joined since — is
     * checked again against a fresh read, whose verdict stands. Runs under the member key's lock.
     */
    private void writeMember(String groupId, String memberId, List<SyncCommits.Commit> batch) {
        GroupDoc view = objects.readCached(groupId).orElse(null);
        boolean fresh = false;
        List<SyncCommits.Commit> accepted = new ArrayList<>();
        List<Map<TopicPartition, ErrorCode>> refusals = new ArrayList<>();
        Map<TopicPartition, CommittedOffset> offsets = new TreeMap<>(GroupDoc::compare);
        for (SyncCommits.Commit c : batch) {
            Map<TopicPartition, ErrorCode> refused = view == null || view.incarnation.isEmpty() ? null : acceptedAsIs(view, c);
            if (refused == null) {
                if (!fresh) {
                    view = freshCopy(groupId);
                    fresh = true;
                }
                try {
                    refused = authorize(view, c.request, c.offsets);
                } catch (FloeException e) {
                    c.failed(e);
                    continue;
                }
            }
            accepted.add(c);
            refusals.add(refused);
            for (var e : c.offsets.entrySet()) {
                if (!refused.containsKey(e.getKey())) {
                    offsets.put(e.getKey(), e.getValue()); // arrival order: a later commit of a partition wins
                }
            }
        }
        if (!offsets.isEmpty()) {
            if (view.incarnation.isEmpty()) {
                // A group object from before member offsets objects: give it its incarnation first (once).
                view = objects.update(groupId, false, d -> d);
            }
            members.write(groupId, memberId, view.incarnation, objects.stampVersion(groupId, view), clock.millis(), offsets);
        }
        for (int i = 0; i < accepted.size(); i++) {
            accepted.get(i).written(refusals.get(i));
        }
    }

    /**
     * The copy's verdict when it accepts every partition of the commit, else null (ask a fresh read).
     * Also null when the copy cannot vouch that the member is still in the group: its lease, a rebalance
     * deadline or (KIP-848) a revocation deadline has passed by the clock, so another instance may have
     * removed it since the copy was read. Otherwise only the member's own calls (a leave, a rejoin) could
     * have changed its generation, and they come after this commit (D87).
     */
    private Map<TopicPartition, ErrorCode> acceptedAsIs(GroupDoc view, SyncCommits.Commit c) {
        long now = clock.millis();
        GroupDoc.Member m = view.members.get(c.request.memberId());
        if (m == null || m.leaseExpiresAtMs <= now
                || (view.state == GroupState.PREPARING_REBALANCE && view.rebalanceDeadlineMs <= now)
                || (m.consumer != null && m.consumer.revokeDeadlineMs != 0 && m.consumer.revokeDeadlineMs <= now)) {
            return null;
        }
        try {
            Map<TopicPartition, ErrorCode> refused = authorize(view, c.request, c.offsets);
            return refused.isEmpty() ? refused : null;
        } catch (FloeException e) {
            return null;
        }
    }

    /** A fresh read of the group; an absent group is an empty one (its authorization refuses any member). */
    private GroupDoc freshCopy(String groupId) {
        return objects.read(groupId).orElse(GroupDoc.empty(groupId));
    }

    /**
     * Folds the member offsets objects of groups that lost members in this instance's writes into their
     * group objects, then deletes the objects of members that had already left when the fold began
     * (D89). A fold that fails is tried again at the next call.
     */
    void foldDepartures() {
        for (String g : objects.takeDepartures()) {
            try {
                fold(g);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Folding member offsets of group " + g + " failed: " + e.getMessage());
                objects.departed(g);
            }
        }
    }

    /** See {@link #foldDepartures}. */
    void fold(String groupId) {
        // Read the group first: a member absent from it has left, so whatever it writes from now on is a
        // zombie's commit, the only kind a delete below may lose.
        Optional<GroupDoc> before = objects.read(groupId);
        List<MemberOffsetObjects.Known> listed = members.readAll(groupId);
        if (listed.isEmpty()) {
            return;
        }
        List<MemberOffsets> all = listed.stream().map(MemberOffsetObjects.Known::offsets).toList();
        if (before.isPresent()) {
            try {
                objects.update(groupId, false, doc -> OffsetMerge.fold(doc, all) ? doc : null);
            } catch (FloeException e) {
                if (e.code() != ErrorCode.UNKNOWN_GROUP) {
                    throw e;
                }
            }
        }
        for (MemberOffsetObjects.Known k : listed) {
            boolean gone = before.isEmpty() || !OffsetMerge.current(before.get(), k.offsets())
                    || !before.get().members.containsKey(k.offsets().memberId());
            if (gone) {
                members.delete(k.key());
            }
        }
    }

    /** Deletes every member offsets object of a group (DeleteGroups, after the group object). */
    void deleteMemberObjects(String groupId) {
        for (MemberOffsetObjects.Known k : members.readAll(groupId)) {
            members.delete(k.key());
        }
    }

    /**
     * Writes a batch of synchronous commits of one group, with this instance's deferred commits of it, in
     * one compare-and-swap. Each commit is authorized on its own: one refused (a member of an older
     * generation) does not hold the others back.
     */
    private void write(String groupId, List<SyncCommits.Commit> batch) {
        List<Map<TopicPartition, ErrorCode>> refused = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        List<DeferredCommits.Pending> taken = deferred.take(groupId);
        try {
            objects.update(groupId, true, doc -> {
                refused.clear();
                failures.clear();
                boolean any = DeferredCommits.apply(doc, taken, this::authorize);
                for (SyncCommits.Commit c : batch) {
                    Map<TopicPartition, ErrorCode> r;
                    try {
                        r = authorize(doc, c.request, c.offsets);
                    } catch (FloeException e) {
                        refused.add(null);
                        failures.add(e);
                        continue;
                    }
                    refused.add(r);
                    failures.add(null);
                    for (var e : c.offsets.entrySet()) {
                        if (!r.containsKey(e.getKey())) {
                            doc.putOffset(e.getKey(), e.getValue());
                            any = true;
                        }
                    }
                }
                return any ? doc : null;
            });
        } catch (RuntimeException e) {
            if (!(e instanceof FloeException f) || f.code().kind() == ErrorCode.Kind.UNAVAILABLE
                    || f.code() == ErrorCode.CONCURRENT_UPDATE) {
                deferred.restore(groupId, taken);
            } else {
                flushTaken(groupId, taken);
            }
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failures.get(i) != null) {
                batch.get(i).failed(failures.get(i));
            } else {
                batch.get(i).written(refused.get(i));
            }
        }
    }

    /** See {@link GroupCoordinator#checkTransactional}. */
    Map<TopicPartition, ErrorCode> checkTransactional(OffsetCommit c) {
        GroupChecks.checkGroupId(c.groupId());
        Map<TopicPartition, ErrorCode> errors = new TreeMap<>(GroupDoc::compare);
        for (var e : c.offsets().entrySet()) {
            ErrorCode topicError = topics.topicError(e.getKey());
            if (topicError != null) {
                errors.put(e.getKey(), topicError);
            } else if (e.getValue().offset() < 0) {
                errors.put(e.getKey(), ErrorCode.OFFSET_OUT_OF_RANGE);
            }
        }
        if (c.memberId().isEmpty() && c.generation() < 0) {
            return errors;
        }
        Optional<GroupDoc> d = objects.read(c.groupId());
        if (d.isEmpty()) {
            throw GroupChecks.unknownMember(c.groupId(), c.memberId());
        }
        errors.putAll(authorize(d.get(), c, c.offsets()));
        return errors;
    }

    /** See {@link GroupCoordinator#commitTransactional}. */
    void commitTransactional(String groupId, Map<TopicPartition, CommittedOffset> committed) {
        GroupChecks.checkGroupId(groupId);
        long now = clock.millis();
        objects.update(groupId, true, doc -> {
            boolean any = false;
            for (var e : committed.entrySet()) {
                CommittedOffset o = e.getValue();
                CommittedOffset next = new CommittedOffset(o.offset(), o.leaderEpoch(), o.metadata(), now);
                CommittedOffset existing = doc.committed(e.getKey());
                if (existing == null || existing.offset() != next.offset() || existing.leaderEpoch() != next.leaderEpoch()
                        || !existing.metadata().equals(next.metadata())) {
                    doc.putOffset(e.getKey(), next);
                    any = true;
                }
            }
            return any ? doc : null;
        });
    }

    /** Who may commit (see OffsetCommit); throws group-level errors, returns per-partition ones. */
    Map<TopicPartition, ErrorCode> authorize(GroupDoc doc, OffsetCommit c, Map<TopicPartition, CommittedOffset> offsets) {
        Map<TopicPartition, ErrorCode> refused = new TreeMap<>(GroupDoc::compare);
        if (doc.isConsumerGroup()) {
            return ConsumerTransitions.authorizeCommit(doc, c); // KIP-848: the member epoch is the generation
        }
        if (c.memberId().isEmpty() && c.generation() < 0) {
            if (!doc.members.isEmpty()) {
                throw doc.state == GroupState.PREPARING_REBALANCE || doc.state == GroupState.COMPLETING_REBALANCE
                        ? rebalancing(c.groupId()) : illegalGeneration(c.groupId(), c.generation(), doc.generation);
            }
            return refused;
        }
        GroupDoc.Member m = checkMember(doc, c.memberId(), c.groupInstanceId());
        if (c.generation() >= 0 || !m.isManaged()) {
            if (c.generation() != doc.generation) {
                throw illegalGeneration(c.groupId(), c.generation(), doc.generation);
            }
            // Kafka's rule: while a rebalance is being prepared the generation has not changed yet,
            // so its members go on committing what they read (their partitions are theirs until the
            // next generation forms). Refusing them would make clients such as kafka-python forget
            // their member id and rejoin as strangers, holding the rebalance up for a session timeout.
            // Between the join and the sync a member has its new generation but no assignment yet.
            if (doc.state == GroupState.COMPLETING_REBALANCE) {
                throw rebalancing(c.groupId());
            }
        }
        List<TopicPartition> mine = m.assignment.partitions();
        if (m.isManaged()) {
            for (TopicPartition tp : offsets.keySet()) {
                if (!mine.contains(tp)) {
                    refused.put(tp, ErrorCode.NOT_ASSIGNED);
                }
            }
            return refused;
        }
        // Classic members: refused only what another member owns in this generation. A member of the
        // cooperative protocol commits the partitions it gives up after the generation that takes them
        // from it formed (they belong to nobody until the next one): Kafka accepts that, and so must we.
        for (TopicPartition tp : offsets.keySet()) {
            for (GroupDoc.Member other : doc.members.values()) {
                if (other != m && other.assignment.partitions().contains(tp)) {
                    refused.put(tp, ErrorCode.NOT_ASSIGNED);
                }
            }
        }
        return refused;
    }

    /** See {@link GroupCoordinator#committed}. */
    Map<TopicPartition, CommittedOffset> committed(String groupId, Collection<TopicPartition> partitions) {
        GroupChecks.checkGroupId(groupId);
        Map<TopicPartition, CommittedOffset> out = new TreeMap<>(GroupDoc::compare);
        Optional<GroupDoc> d = objects.read(groupId);
        if (d.isPresent()) {
            List<MemberOffsets> memberCommits = members.readAll(groupId).stream().map(MemberOffsetObjects.Known::offsets).toList();
            out.putAll(OffsetMerge.merged(d.get(), memberCommits));
        }
        deferred.pending(groupId).forEach(out::put);
        if (partitions != null) {
            out.keySet().retainAll(new HashSet<>(partitions));
        }
        return out;
    }

    /** This instance's deferred commit of {@code tp} if any, else the committed offset in {@code d}. */
    CommittedOffset pendingOrCommitted(GroupDoc d, TopicPartition tp) {
        CommittedOffset p = deferred.pending(d.groupId).get(tp);
        return p != null ? p : d.committed(tp);
    }

    /** See {@link GroupCoordinator#deleteOffsets}. */
    Map<TopicPartition, ErrorCode> deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        GroupChecks.checkGroupId(groupId);
        flushDeferred(groupId);
        Map<TopicPartition, ErrorCode> refused = new TreeMap<>(GroupDoc::compare);
        // Offsets members committed to their own objects count too: the deletion's tombstone hides them.
        Set<TopicPartition> present = committed(groupId, partitions).keySet();
        objects.update(groupId, false, doc -> {
            refused.clear();
            Set<String> inUse = new HashSet<>();
            for (GroupDoc.Member m : doc.members.values()) {
                inUse.addAll(m.topics);
                m.assignment.partitions().forEach(tp -> inUse.add(tp.topic()));
            }
            boolean changed = false;
            for (TopicPartition tp : partitions) {
                if (inUse.contains(tp.topic())) {
                    refused.put(tp, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
                } else if (doc.committed(tp) != null || present.contains(tp)) {
                    doc.removeOffset(tp);
                    changed = true;
                }
            }
            return changed ? doc : null;
        });
        return refused;
    }

    /** Writes all deferred commits of this instance now. */
    /** Writes every group's deferred commits; returns the groups whose commits are still pending (a retryable failure). */
    List<String> flush() {
        List<String> pending = new ArrayList<>();
        for (String g : deferred.groups()) {
            if (!flushTaken(g, deferred.take(g))) {
                pending.add(g);
            }
        }
        return pending;
    }

    /** Writes the deferred commits pending since before {@code olderThanMs}, group by group. */
    void flushDue(long olderThanMs) {
        for (String g : deferred.dueGroups(olderThanMs)) {
            flushDeferred(g);
        }
    }

    /** Writes the group's deferred commits now; called before any change of its membership. */
    void flushDeferred(String groupId) {
        if (deferred.has(groupId)) {
            flushTaken(groupId, deferred.take(groupId));
        }
    }

    /**
     * Writes taken deferred commits. False when they could not be written for a retryable reason
     * and are pending again; true when written, or dropped because the group refused them (a
     * fenced member's commits are dropped: that is what fencing means).
     */
    private boolean flushTaken(String groupId, List<DeferredCommits.Pending> taken) {
        if (taken.isEmpty()) {
            return true;
        }
        try {
            objects.update(groupId, true, doc -> DeferredCommits.apply(doc, taken, this::authorize) ? doc : null);
            return true;
        } catch (FloeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Deferred commits of group " + groupId + " not written: " + e.getMessage());
            if (e.code().kind() == ErrorCode.Kind.UNAVAILABLE || e.code() == ErrorCode.CONCURRENT_UPDATE) {
                deferred.restore(groupId, taken);
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            deferred.restore(groupId, taken);
            throw e;
        }
    }
}
