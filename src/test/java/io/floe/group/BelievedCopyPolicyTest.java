package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * When a group write starts from this instance's copy ({@link GroupObjects.Believed}): always while the
 * copy keeps being current; after it lost to another instance's write, the next updates read first, for
 * a number of updates that doubles with each consecutive loss, up to {@link GroupObjects#MAX_SKIPPED}.
 */
class BelievedCopyPolicyTest {

    private final GroupObjects.Believed policy = new GroupObjects.Believed();

    /** How many updates in a row read first before the copy is tried again. */
    private int readsFirstBeforeTrustingAgain() {
        int n = 0;
        while (!policy.trustCopy()) {
            n++;
        }
        return n;
    }

    @Test
    void aCopyThatKeepsBeingCurrentIsAlwaysUsed() {
        for (int i = 0; i < 100; i++) {
            assertThat(policy.trustCopy()).isTrue();
            policy.copyWas(true);
        }
    }

    @Test
    void consecutiveLossesToOtherInstancesDoubleTheUpdatesThatReadFirst() {
        int[] expected = {1, 3, 7, 15, 31, 63, 63, 63};
        for (int e : expected) {
            assertThat(policy.trustCopy()).isTrue();
            policy.copyWas(false);
            assertThat(readsFirstBeforeTrustingAgain()).isEqualTo(e);
        }
    }

    @Test
    void aCurrentCopyEndsTheBackingOff() {
        policy.copyWas(false);
        policy.copyWas(false);
        assertThat(readsFirstBeforeTrustingAgain()).isEqualTo(3);
        policy.copyWas(true);
        assertThat(policy.trustCopy()).isTrue();
        policy.copyWas(false);
        assertThat(readsFirstBeforeTrustingAgain()).isEqualTo(1);
    }
}
