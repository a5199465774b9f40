package io.floe.janitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JanitorPaceTest {

    private static final Janitor.Report BUSY = Janitor.Report.notLeader();

    private static Janitor.Report quiet(long nextDueMs, boolean standby) {
        return Janitor.Report.quiet(nextDueMs, standby);
    }

    @Test
    void quietRunsDoubleTheWaitUpToTheCapAndActivityResetsIt() {
        JanitorPace pace = new JanitorPace(Duration.ofSeconds(30), Duration.ofMinutes(5));
        assertThat(pace.next(quiet(Long.MAX_VALUE, false), 0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(pace.next(quiet(Long.MAX_VALUE, false), 0)).isEqualTo(Duration.ofSeconds(120));
        assertThat(pace.next(quiet(Long.MAX_VALUE, false), 0)).isEqualTo(Duration.ofSeconds(240));
        assertThat(pace.next(quiet(Long.MAX_VALUE, false), 0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(pace.next(quiet(Long.MAX_VALUE, false), 0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(pace.next(BUSY, 0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(pace.next(quiet(Long.MAX_VALUE, false), 0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aStandByWaitsUpToSixTimesTheCap() {
        JanitorPace pace = new JanitorPace(Duration.ofSeconds(30), Duration.ofMinutes(5));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 20; i++) {
            last = pace.next(quiet(Long.MAX_VALUE, true), 0);
        }
        assertThat(last).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aQuietWaitNeverPassesTheTimeWorkFallsDueButStaysAtLeastTheInterval() {
        JanitorPace pace = new JanitorPace(Duration.ofSeconds(30), Duration.ofMinutes(5));
        for (int i = 0; i < 10; i++) {
            pace.next(quiet(Long.MAX_VALUE, false), 0);
        }
        assertThat(pace.next(quiet(100_000, false), 0)).isEqualTo(Duration.ofSeconds(100));
        assertThat(pace.next(quiet(1_000, false), 0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theLedgerKeepsTheQuietRecordAndStillReadsVersionOne() {
        Ledger.Quiet q = new Ledger.Quiet(new ChangeCheck.Snapshot(1234, "ab12"), 99_000, "instance one-9f");
        Ledger l = Ledger.empty().observe(Set.of("segments/x"), 1000, 500, 3, "n1").with(q).next();
        Ledger back = Ledger.decode(l.encode());
        assertThat(back).isEqualTo(l);
        assertThat(back.quiet()).isEqualTo(q);
        Ledger none = Ledger.decode(Ledger.empty().observe(Set.of(), 1000, 500, 3, "n2").next().encode());
        assertThat(none.quiet()).isNull();
        Ledger v1 = Ledger.decode("floe-janitor-ledger 1 4 n0\n900 segments/y\n".getBytes());
        assertThat(v1).isEqualTo(new Ledger(4, "n0", Map.of("segments/y", 900L), null));
    }
}
