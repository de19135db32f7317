package com.streamloom.media.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reconnect back-off doubles up to its maximum, with bounded jitter, and starts over on reset. */
class ReconnectBackoffTest {

    @Test
    void doublesFromInitialUpToMaxWithoutJitter() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(10), () -> 0.0);
        assertThat(new long[] {ms(b), ms(b), ms(b), ms(b), ms(b), ms(b), ms(b)})
                .containsExactly(500, 1000, 2000, 4000, 8000, 10_000, 10_000);
    }

    @Test
    void jitterTakesOffAtMostAQuarter() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofMillis(400), Duration.ofSeconds(10), () -> 1.0);
        assertThat(ms(b)).isEqualTo(300);
        assertThat(ms(b)).isEqualTo(600);
    }

    @Test
    void resetStartsOver() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(10), () -> 0.0);
        ms(b);
        ms(b);
        b.reset();
        assertThat(ms(b)).isEqualTo(500);
    }

    @Test
    void rejectsMaxBelowInitial() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long ms(ReconnectBackoff b) {
        return b.next().toMillis();
    }
}
