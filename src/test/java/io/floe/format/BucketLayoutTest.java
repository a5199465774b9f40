package io.floe.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BucketLayoutTest {

    @Test
    void formatDocumentListsExactlyTheLayoutPatternsInOrder() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("floetest.project.dir", "."), "docs", "FORMAT.md"));
        int section = doc.indexOf("## 1. Bucket layout");
        int open = doc.indexOf("```\n", section);
        int close = doc.indexOf("```", open + 4);
        List<String> documented = new ArrayList<>();
        for (String line : doc.substring(open + 4, close).split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                documented.add(line.split("\\s+")[0]);
            }
        }
        assertThat(documented).containsExactlyElementsOf(BucketLayout.PATTERNS);
    }

    @Test
    void everyKeyBuilderProducesAKeyOfItsDocumentedPattern() {
        List<String> keys = List.of(
                BucketLayout.CLUSTER,
                BucketLayout.topic("orders"),
                BucketLayout.deletedTopic("t-1"),
                BucketLayout.commit("t-1", 42),
                BucketLayout.checkpoint("t-1", 7),
                BucketLayout.segment(1_700_000_000_000L, "w1", 3),
                BucketLayout.merged("t-1", 1_700_000_000_000L, 2, 100, 5, "h1", 9),
                BucketLayout.JANITOR_LEASE,
                BucketLayout.JANITOR_LEDGER,
                BucketLayout.PRODUCER_IDS,
                BucketLayout.groupState("my group/ü"),
                BucketLayout.groupMemberOffsets("my group/ü", "consumer-1-0f3a/ü"),
                BucketLayout.transaction("copier_1/ü"),
                BucketLayout.transactionOffsets("my group", "copier_1"),
                BucketLayout.instanceClaim("host-1/ü"),
                BucketLayout.SECURITY_USERS,
                BucketLayout.SECURITY_ACLS,
                BucketLayout.shareGroup("queue/ü"),
                BucketLayout.sharePartition("queue/ü", "t-1", 3));
        assertThat(keys).hasSameSizeAs(BucketLayout.PATTERNS);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(keys.get(i)).as(BucketLayout.PATTERNS.get(i)).matches(regexOf(BucketLayout.PATTERNS.get(i)));
        }
    }

    @Test
    void memberOffsetKeysNameTheirMemberAndAreNotGroupStates() {
        String prefix = BucketLayout.groupOffsetsPrefix("my group/ü");
        String key = BucketLayout.groupMemberOffsets("my group/ü", "consumer-1/ü");
        assertThat(key).startsWith(prefix);
        assertThat(BucketLayout.memberOfOffsets(prefix, key)).isEqualTo("consumer-1/ü");
        assertThat(BucketLayout.memberOfOffsets(prefix, prefix + "a/b")).isNull();
        assertThat(BucketLayout.groupOf(key)).isNull();
    }

    @Test
    void prefixesAreThoseOfTheirKeys() {
        assertThat(BucketLayout.commit("t", 1)).startsWith(BucketLayout.commitsPrefix("t")).startsWith(BucketLayout.dataPrefix("t"));
        assertThat(BucketLayout.checkpoint("t", 1)).startsWith(BucketLayout.checkpointsPrefix("t")).startsWith(BucketLayout.dataPrefix("t"));
        assertThat(BucketLayout.merged("t", 1, 0, 0, 1, "h", 1)).startsWith(BucketLayout.mergedPrefix("t"));
        assertThat(BucketLayout.segment(1, "w", 1)).startsWith(BucketLayout.SEGMENTS);
        assertThat(BucketLayout.deletedTopic("t")).startsWith(BucketLayout.DELETED_TOPICS);
        assertThat(BucketLayout.topic("t")).startsWith(BucketLayout.TOPICS);
        assertThat(BucketLayout.groupState("g")).startsWith(BucketLayout.GROUPS);
        assertThat(BucketLayout.transaction("t")).startsWith(BucketLayout.TRANSACTIONS);
        assertThat(BucketLayout.transactionOffsets("g", "t")).startsWith(BucketLayout.transactionOffsetsPrefix("g"))
                .startsWith(BucketLayout.TRANSACTION_OFFSETS);
        assertThat(BucketLayout.transactionalIdOf(BucketLayout.transaction("a/b_c"))).isEqualTo("a/b_c");
        assertThat(BucketLayout.sharePartition("g", "t", 0)).startsWith(BucketLayout.sharePartitionsPrefix("g"))
                .startsWith(BucketLayout.SHARE_PARTITIONS);
        assertThat(BucketLayout.shareGroupOf(BucketLayout.shareGroup("a/b_c"))).isEqualTo("a/b_c");
        assertThat(BucketLayout.shareGroupOf(BucketLayout.sharePartition("g", "t", 0))).isNull();
        assertThat(BucketLayout.transactionalIdOfOffsets(BucketLayout.transactionOffsetsPrefix("g"),
                BucketLayout.transactionOffsets("g", "a/b_c"))).isEqualTo("a/b_c");
    }

    @Test
    void sequencesAreReadBackFromCommitAndCheckpointKeys() {
        assertThat(BucketLayout.sequenceOf(BucketLayout.commit("t", 123))).isEqualTo(123);
        assertThat(BucketLayout.sequenceOf(BucketLayout.checkpoint("t", 0))).isZero();
    }

    @Test
    void groupIdsOfAnyCharactersRoundTripThroughTheirKeys() {
        for (String id : List.of("g", "my_group", "a/b", ".", "..", "ünï cödé", "x_2E")) {
            String key = BucketLayout.groupState(id);
            assertThat(key).matches("groups/[A-Za-z0-9._-]+/state");
            assertThat(BucketLayout.groupOf(key)).isEqualTo(id);
        }
        assertThat(BucketLayout.groupOf("topics/x")).isNull();
        assertThat(BucketLayout.groupOf("groups/a/b/state")).isNull();
    }

    private static String regexOf(String pattern) {
        Matcher m = Pattern.compile("\\{([A-Za-z]+)(?::%0(\\d+)d)?}").matcher(pattern);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(pattern.substring(last, m.start())));
            regex.append(m.group(2) != null ? "\\d{" + m.group(2) + "}" : "[A-Za-z0-9._-]+");
            last = m.end();
        }
        return regex.append(Pattern.quote(pattern.substring(last))).toString();
    }
}
