package io.floe.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import io.floe.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

    private final List<Long> slept = new ArrayList<>();
    private final Retry retry = new Retry(slept::add, new SplittableRandom(7));

    @Test
    void backoffIsJitteredBetweenHalfAndAllOfAnExponentialCeiling() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Retry.backoffCeilingMillis(attempt);
            assertThat(ceiling).isEqualTo(Math.min(1000, 10L << (attempt - 1)));
            for (int i = 0; i < 200; i++) {
                assertThat(retry.backoffMillis(attempt)).isBetween(ceiling / 2, ceiling);
            }
        }
        long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> retry.backoffMillis(6)).distinct().count();
        assertThat(distinct).as("jittered, not a fixed delay").isGreaterThan(10);
    }

    @Test
    void anUnavailableStoreIsTriedEightTimesWithinTheStatedBudgetThenReportedUnavailable() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("read x", () -> {
            calls.incrementAndGet();
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "503 SlowDown");
        })).isInstanceOfSatisfying(FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining("read x").hasMessageContaining("503 SlowDown");
        assertThat(calls).hasValue(Retry.ATTEMPTS);
        assertThat(slept).hasSize(Retry.ATTEMPTS - 1);
        assertThat(slept.stream().mapToLong(Long::longValue).sum()).isBetween(635L, 1270L);
    }

    @Test
    void aFatalErrorIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("write y", () -> {
            calls.incrementAndGet();
            throw new StoreException(StoreException.Kind.FATAL, "403 AccessDenied");
        })).isInstanceOf(FloeException.class);
        assertThat(calls).hasValue(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void aCallThatRecoversReturnsItsValue() {
        AtomicInteger calls = new AtomicInteger();
        String v = retry.call("read z", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new StoreException(StoreException.Kind.UNAVAILABLE, "timeout");
            }
            return "ok";
        });
        assertThat(v).isEqualTo("ok");
        assertThat(slept).hasSize(2);
    }
}
