package com.streamloom.spec;

import com.streamloom.spec.PlaybackToken.Kind;
import com.streamloom.spec.PlaybackToken.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A playback token opens exactly the one output it was signed for, under an accepted key, until its expiry. */
class PlaybackTokenTest {
    static final String KEY = "Qm7vX2pLk9RtZ4wNc8HsJ3yFd6GbT1aE";
    static final String OLD_KEY = "nP4sW8kD2xVq6LrB9mHzT3cJ7fYg5RtA";
    static final long NOW = 1_800_000_000L;

    @Test
    void aTokenOpensItsOwnOutputUntilItExpires() {
        String token = PlaybackToken.sign(KEY, Kind.STREAM, "lobby", NOW + 60);
        assertThat(token).matches("1800000060\\.[A-Za-z0-9_-]{43}");
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", token, NOW)).isEqualTo(Verdict.VALID);
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", token, NOW + 59)).isEqualTo(Verdict.VALID);
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", token, NOW + 60)).isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void anotherNameKindKeyOrExpiryIsRefused() {
        String token = PlaybackToken.sign(KEY, Kind.STREAM, "lobby", NOW + 60);
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby2", token, NOW))
                .isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(PlaybackToken.check(List.of(KEY), Kind.COMPOSITION, "lobby", token, NOW))
                .isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(PlaybackToken.check(List.of(OLD_KEY), Kind.STREAM, "lobby", token, NOW))
                .isEqualTo(Verdict.WRONG_SIGNATURE);
        // a later expiry with the old signature: the expiry is signed, so it cannot be extended
        String extended = (NOW + 86_400) + token.substring(token.indexOf('.'));
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", extended, NOW))
                .isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(PlaybackToken.check(List.of(), Kind.STREAM, "lobby", token, NOW)).isEqualTo(Verdict.WRONG_SIGNATURE);
    }

    @Test
    void duringARotationTokensOfThePreviousKeyStillOpen() {
        String before = PlaybackToken.sign(OLD_KEY, Kind.STREAM, "lobby", NOW + 60);
        String after = PlaybackToken.sign(KEY, Kind.STREAM, "lobby", NOW + 60);
        for (String token : List.of(before, after)) {
            assertThat(PlaybackToken.check(List.of(KEY, OLD_KEY), Kind.STREAM, "lobby", token, NOW))
                    .isEqualTo(Verdict.VALID);
        }
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", before, NOW))
                .isEqualTo(Verdict.WRONG_SIGNATURE);
    }

    @Test
    void malformedTokensAreRefusedBeforeAnySignatureIsComputed() {
        String good = PlaybackToken.sign(KEY, Kind.STREAM, "lobby", NOW + 60);
        String signature = good.substring(good.indexOf('.') + 1);
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", null, NOW)).isEqualTo(Verdict.MISSING);
        assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", "", NOW)).isEqualTo(Verdict.MISSING);
        for (String bad : List.of("nodot", "." + signature, "-5." + signature, "1e9." + signature,
                "1234567890123." + signature, (NOW + 60) + "." + signature.substring(1),
                (NOW + 60) + "." + signature + "AA", (NOW + 60) + ".not base64!", good + "x".repeat(40))) {
            assertThat(PlaybackToken.check(List.of(KEY), Kind.STREAM, "lobby", bad, NOW)).as(bad)
                    .isEqualTo(Verdict.MALFORMED);
        }
        assertThatThrownBy(() -> PlaybackToken.sign(KEY, Kind.STREAM, "lobby", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOpensslRecipeInTheDocsMakesTheSameToken() throws Exception {
        long expiry = NOW + 3600;
        Process p = new ProcessBuilder("bash", "-c",
                "printf 'stream\\n%s\\n%s' \"$1\" \"$2\" | openssl dgst -sha256 -hmac \"$3\" -binary"
                        + " | basenc --base64url | tr -d '='", "recipe", "lobby", String.valueOf(expiry), KEY)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String signature = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(p.exitValue()).as(signature).isZero();
        assertThat(expiry + "." + signature).isEqualTo(PlaybackToken.sign(KEY, Kind.STREAM, "lobby", expiry));
    }
}
