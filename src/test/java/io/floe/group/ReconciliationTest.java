package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.group.Reconciliation.Phase;
import io.floe.group.Reconciliation.State;
import io.floe.model.TopicPartition;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static TopicPartition tp(int p) {
        return new TopicPartition("t", p);
    }

    @Test
    void aNewMemberTakesFreePartitionsAndMovesToTheTargetEpoch() {
        State s = Reconciliation.next(new State(0, Phase.STABLE, Set.of(), Set.of()), 3, Set.of(tp(0), tp(1)),
                tp -> false, List.of());
        assertThat(s).isEqualTo(new State(3, Phase.STABLE, Set.of(tp(0), tp(1)), Set.of()));
    }

    @Test
    void aPartitionStillHeldByAnotherMemberIsNotGivenUntilItIsReleased() {
        State s = Reconciliation.next(new State(0, Phase.STABLE, Set.of(), Set.of()), 3, Set.of(tp(0), tp(1)),
                tp -> tp.partition() == 1, List.of());
        assertThat(s).isEqualTo(new State(3, Phase.UNRELEASED_PARTITIONS, Set.of(tp(0)), Set.of()));
        State later = Reconciliation.next(s, 3, Set.of(tp(0), tp(1)), tp -> false, List.of(tp(0)));
        assertThat(later).isEqualTo(new State(3, Phase.STABLE, Set.of(tp(0), tp(1)), Set.of()));
    }

    @Test
    void aMemberKeepsItsEpochUntilItReportsThatItRevoked() {
        State owner = new State(2, Phase.STABLE, Set.of(tp(0), tp(1), tp(2)), Set.of());
        State s = Reconciliation.next(owner, 3, Set.of(tp(0)), tp -> false, List.of(tp(0), tp(1), tp(2)));
        assertThat(s).isEqualTo(new State(2, Phase.UNREVOKED_PARTITIONS, Set.of(tp(0)), Set.of(tp(1), tp(2))));
        assertThat(s.held()).containsExactlyInAnyOrder(tp(0), tp(1), tp(2));
        // Unchanged owned partitions (null) or still owning one of them: no progress.
        assertThat(Reconciliation.next(s, 3, Set.of(tp(0)), tp -> false, null)).isEqualTo(s);
        assertThat(Reconciliation.next(s, 3, Set.of(tp(0)), tp -> false, List.of(tp(0), tp(2)))).isEqualTo(s);
        State done = Reconciliation.next(s, 3, Set.of(tp(0)), tp -> false, List.of(tp(0)));
        assertThat(done).isEqualTo(new State(3, Phase.STABLE, Set.of(tp(0)), Set.of()));
    }

    @Test
    void aMemberThatAlreadyDroppedTheRevokedPartitionsMovesOnAtOnce() {
        State owner = new State(2, Phase.STABLE, Set.of(tp(0), tp(1)), Set.of());
        State s = Reconciliation.next(owner, 3, Set.of(tp(0)), tp -> false, List.of(tp(0)));
        assertThat(s).isEqualTo(new State(3, Phase.STABLE, Set.of(tp(0)), Set.of()));
    }

    @Test
    void aStableMemberAtTheTargetEpochIsLeftAlone() {
        State s = new State(4, Phase.STABLE, Set.of(tp(0)), Set.of());
        assertThat(Reconciliation.next(s, 4, Set.of(tp(0), tp(1)), tp -> false, List.of())).isSameAs(s);
    }

    @Test
    void revocationComesBeforeAnyNewPartition() {
        // Target swaps partition 1 for 2: 1 is revoked first; 2 comes only after the revocation is reported.
        State owner = new State(5, Phase.STABLE, Set.of(tp(0), tp(1)), Set.of());
        State s = Reconciliation.next(owner, 6, Set.of(tp(0), tp(2)), tp -> false, List.of(tp(0), tp(1)));
        assertThat(s).isEqualTo(new State(5, Phase.UNREVOKED_PARTITIONS, Set.of(tp(0)), Set.of(tp(1))));
        State done = Reconciliation.next(s, 6, Set.of(tp(0), tp(2)), tp -> false, List.of(tp(0)));
        assertThat(done).isEqualTo(new State(6, Phase.STABLE, Set.of(tp(0), tp(2)), Set.of()));
    }
}
