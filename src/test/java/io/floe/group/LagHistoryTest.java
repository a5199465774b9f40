package io.floe.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LagHistoryTest {

    @Test
    void frequentSamplesKeepOnePerSpacingAndTheNewest() {
        LagHistory h = new LagHistory(100, 1000);
        for (long t = 0; t <= 2400; t += 200) {
            h.record("g", t, t);
        }
        assertThat(h.samples("g").stream().map(LagHistory.Sample::timeMs).toList()).containsExactly(0L, 1000L, 2000L, 2400L);
    }

    @Test
    void keepsAtMostCapacitySamplesDroppingTheOldest() {
        LagHistory h = new LagHistory(3, 0);
        for (long t = 0; t < 5; t++) {
            h.record("g", t, 10 * t);
        }
        assertThat(h.samples("g")).containsExactly(new LagHistory.Sample(2, 20), new LagHistory.Sample(3, 30),
                new LagHistory.Sample(4, 40));
    }

    @Test
    void aForgottenGroupHasNoHistory() {
        LagHistory h = new LagHistory(3, 0);
        h.record("g", 1, List.of());
        h.forget("g");
        assertThat(h.samples("g")).isEmpty();
    }
}
