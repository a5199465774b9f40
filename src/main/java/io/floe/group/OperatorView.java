package io.floe.group;

import io.floe.format.BucketLayout;
import static io.floe.group.GroupChecks.unknownGroup;

import io.floe.log.LogEngine;
import io.floe.log.PartitionOffsets;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.model.TopicPartition;
import io.floe.store.ObjectStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's view of groups: listing, describing, deleting an empty group, and lag per
 * partition. Semantics are documented on {@link GroupCoordinator}.
 *
 * <p>Thread-safe: holds no state of its own; reads and writes go through {@link GroupObjects}.
 */
final class OperatorView {

    private static final int PAGE = 1000;

    private final ObjectStore store;
    private final GroupObjects objects;
    private final Offsets offsets;
    private final LogEngine log;

    OperatorView(ObjectStore store, GroupObjects objects, Offsets offsets, LogEngine log) {
        this.store = store;
        this.objects = objects;
        this.offsets = offsets;
        this.log = log;
    }

    List<GroupListing> listGroups() {
        List<String> ids = groupIds();
        List<GroupListing> out = new ArrayList<>();
        for (var doc : log.readAll(ids, objects::read)) {
            doc.ifPresent(d -> out.add(new GroupListing(d.groupId, d.protocolType, d.state, d.type)));
        }
        out.sort(Comparator.comparing(GroupListing::groupId));
        return out;
    }

    /** The ids of every group in the bucket, from LIST alone, in key order. */
    List<String> groupIds() {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<ObjectStore.ObjectInfo> page = log.retry().call("list groups", () -> store.list(BucketLayout.GROUPS, from, PAGE));
            for (ObjectStore.ObjectInfo info : page) {
                String g = BucketLayout.groupOf(info.key());
                if (g != null) {
                    ids.add(g);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().key();
        }
        return ids;
    }

    Optional<GroupDescription> describe(String groupId) {
        GroupChecks.checkGroupId(groupId);
        return objects.read(groupId).map(d -> {
            List<MemberDescription> members = new ArrayList<>();
            for (GroupDoc.Member m : d.members.values()) {
                members.add(new MemberDescription(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                        m.metadata(d.protocolName), m.assignment, m.topics, m.leaseExpiresAtMs));
            }
            return new GroupDescription(d.groupId, d.state, d.protocolType, d.protocolName, d.generation, d.leaderId,
                    List.copyOf(members), d.type);
        });
    }

    void deleteGroup(String groupId) {
        GroupChecks.checkGroupId(groupId);
        offsets.flushDeferred(groupId);
        // Delete only the version we saw empty: mark it DEAD by CAS first, so a join racing with the
        // delete either lands before (GROUP_NOT_EMPTY) or starts a new group after.
        objects.update(groupId, false, doc -> {
            if (!doc.members.isEmpty()) {
                throw new FloeException(ErrorCode.GROUP_NOT_EMPTY, "Group '" + groupId + "' has "
                        + doc.members.size() + " member(s); only a group without members can be deleted.");
            }
            doc.state = GroupState.DEAD;
            return doc;
        });
        objects.delete(groupId);
        offsets.deleteMemberObjects(groupId);
    }

    List<PartitionLag> lag(String groupId) {
        GroupDoc d = objects.read(groupId).orElseThrow(() -> unknownGroup(groupId));
        Map<TopicPartition, String> owners = d.owners();
        Map<TopicPartition, CommittedOffset> committed = offsets.committed(groupId, null);
        Set<String> topics = new TreeSet<>();
        committed.keySet().forEach(tp -> topics.add(tp.topic()));
        owners.keySet().forEach(tp -> topics.add(tp.topic()));
        List<PartitionLag> out = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionOffsets> partitions;
            try {
                partitions = log.offsets(topic);
            } catch (FloeException e) {
                if (e.code() == ErrorCode.UNKNOWN_TOPIC) {
                    continue;
                }
                throw e;
            }
            for (PartitionOffsets o : partitions) {
                TopicPartition tp = new TopicPartition(topic, o.partition());
                CommittedOffset c = committed.get(tp);
                long base = c == null ? o.logStartOffset() : Math.max(c.offset(), o.logStartOffset());
                String owner = owners.get(tp);
                GroupDoc.Member m = owner == null ? null : d.members.get(owner);
                out.add(new PartitionLag(tp, c == null ? -1 : c.offset(), o.logStartOffset(), o.endOffset(),
                        Math.max(0, o.endOffset() - base), owner, m == null ? null : m.clientId));
            }
        }
        return out;
    }
}
