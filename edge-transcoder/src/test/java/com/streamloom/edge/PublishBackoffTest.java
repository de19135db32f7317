package com.streamloom.edge;

import com.streamloom.media.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariant: wrong keys from one address make its next attempt wait 1 s, doubling to 30 s, in bounded memory. */
class PublishBackoffTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final PublishBackoff backoff = new PublishBackoff(PublishGuardSettings.defaults(), clock);
    final InetSocketAddress guesser = new InetSocketAddress("192.0.2.7", 50_001);
    final InetSocketAddress guesserOtherPort = new InetSocketAddress("192.0.2.7", 50_002);
    final InetSocketAddress bystander = new InetSocketAddress("198.51.100.9", 50_001);

    @Test
    void theWaitDoublesFromOneSecondToThirtyAndIsPerAddress() {
        assertThat(backoff.admit(guesser)).isNull();
        backoff.finished(guesser, false);
        long[] expectedSeconds = {1, 2, 4, 8, 16, 30, 30};
        for (int i = 0; i < expectedSeconds.length; i++) {
            Duration wait = backoff.remaining(guesserOtherPort);
            assertThat(wait).as("wait after %d wrong keys", i + 1).isEqualTo(Duration.ofSeconds(expectedSeconds[i]));
            assertThat(backoff.admit(guesserOtherPort)).contains("try again in " + expectedSeconds[i] + " s");
            assertThat(backoff.admit(bystander)).as("another address is not slowed down").isNull();
            backoff.finished(bystander, true);
            clock.advance(wait);
            assertThat(backoff.admit(guesser)).isNull();
            backoff.finished(guesser, false);
        }
    }

    @Test
    void refusedAttemptsDoNotLengthenTheWaitAndAGoodKeyResetsIt() {
        backoff.admit(guesser);
        backoff.finished(guesser, false);
        clock.advance(Duration.ofMillis(600));
        assertThat(backoff.admit(guesser)).contains("try again in 1 s");
        assertThat(backoff.remaining(guesser)).isEqualTo(Duration.ofMillis(400));
        clock.advance(Duration.ofMillis(400));
        assertThat(backoff.admit(guesser)).isNull();
        backoff.finished(guesser, true);
        assertThat(backoff.trackedAddresses()).isZero();
        assertThat(backoff.admit(guesser)).isNull();
    }

    @Test
    void aCheckThatCouldNotDecideNeitherCountsNorForgets() {
        backoff.admit(guesser);
        backoff.finished(guesser, false);
        clock.advance(Duration.ofSeconds(1));
        backoff.admit(guesser);
        backoff.finished(guesser, null);
        assertThat(backoff.remaining(guesser)).isZero();
        backoff.admit(guesser);
        backoff.finished(guesser, false);
        assertThat(backoff.remaining(guesser)).as("second wrong key").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void oneCheckPerAddressAtATime() {
        assertThat(backoff.admit(guesser)).isNull();
        assertThat(backoff.admit(guesserOtherPort)).contains("already in progress");
        assertThat(backoff.admit(bystander)).isNull();
        backoff.finished(guesser, null);
        assertThat(backoff.admit(guesserOtherPort)).isNull();
    }

    @Test
    void anAddressIsForgottenAfterTheForgetTimeAndTheMapIsCapped() {
        PublishGuardSettings small = new PublishGuardSettings(Duration.ofSeconds(3), 64, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 100, Duration.ofMinutes(10));
        PublishBackoff capped = new PublishBackoff(small, clock);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(31));
            capped.admit(guesser);
            capped.finished(guesser, false);
        }
        clock.advance(Duration.ofMinutes(10));
        assertThat(capped.remaining(guesser)).isZero();
        capped.admit(guesser);
        capped.finished(guesser, false);
        assertThat(capped.remaining(guesser)).as("starts again from the initial wait").isEqualTo(Duration.ofSeconds(1));

        for (int i = 0; i < 1000; i++) {
            InetSocketAddress from = new InetSocketAddress("10.0." + (i / 250) + "." + (i % 250), 1935);
            capped.admit(from);
            capped.finished(from, false);
        }
        assertThat(capped.trackedAddresses()).isEqualTo(100);
    }
}
