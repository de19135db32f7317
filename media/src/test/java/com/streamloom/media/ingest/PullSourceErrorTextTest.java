package com.streamloom.media.ingest;

import com.streamloom.media.rtmp.RtmpServer;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A failing pull says why in words (FFmpeg's own reason, not a bare code) and logs a summary, not every retry. */
class PullSourceErrorTextTest {
    private static final PullSettings FAST_RETRY = PullSettings.defaults()
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(40));

    @ParameterizedTest
    @ValueSource(strings = {"rtsp", "rtmp"})
    void closedPortSaysConnectionRefused(String scheme) {
        String error = firstError(scheme + "://127.0.0.1:" + Ports.free() + "/live/none");
        assertThat(error).contains("Connection refused").doesNotContain("/live/none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtsp", "rtmp"})
    void unresolvableHostSaysTheNameDoesNotResolve(String scheme) {
        String error = firstError(scheme + "://nosuchhost.invalid/live/none");
        // FFmpeg logs "Failed to resolve hostname nosuchhost.invalid: Name or service not known" and returns EIO.
        assertThat(error).contains("resolve").contains("nosuchhost.invalid")
                .doesNotContain("Input/output error");
    }

    @Test
    void refusalOfTheFarSideIsTheServersOwnWords() throws Exception {
        // This project's RTMP server accepts publishing only and answers play with an _error.
        RtmpServer server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(),
                request -> {
                    throw new IllegalStateException("nobody publishes in this test");
                });
        try (server) {
            String error = firstError("rtmp://127.0.0.1:" + server.port() + "/live/key");
            assertThat(error).contains("accepts publishing only").doesNotContain("-1313558101")
                    .doesNotContain("Unknown error");
        }
    }

    @Test
    void aPullThatKeepsFailingLogsItsFirstFailureThenASummaryPerInterval() {
        Queue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
        EventRecordingLogger log = new EventRecordingLogger(new SubstituteLogger("pull", events, true), events);
        PullSettings settings = FAST_RETRY.withFailureSummaryEvery(Duration.ofSeconds(1));
        PullSource source = new PullSource("refused", "rtmp://127.0.0.1:" + Ports.free() + "/live/none", settings,
                new RecordingSink(), log);
        try (source) {
            source.start();
            // With 20-40 ms between attempts, each summary covers many failed attempts; on a loaded machine an
            // interval may stretch, so wait for two summaries rather than for a fixed time.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> warnings(events).size() >= 3);
        }
        List<String> warnings = warnings(events);
        assertThat(warnings).as("one line first, then one per interval, not one per attempt").hasSizeBetween(3, 4);
        assertThat(warnings.get(0)).contains("Connection refused");
        assertThat(warnings.subList(1, warnings.size())).allSatisfy(w -> assertThat(w)
                .containsPattern("still failing after ([2-9]|\\d{2,}) attempts in the last \\d+ s: .*Connection refused"));
    }

    private static List<String> warnings(Queue<SubstituteLoggingEvent> events) {
        return events.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(e -> org.slf4j.helpers.MessageFormatter.arrayFormat(e.getMessage(), e.getArgumentArray())
                        .getMessage())
                .toList();
    }

    private static String firstError(String url) {
        PullSource source = new PullSource("error-text", url, FAST_RETRY, new RecordingSink());
        try (source) {
            source.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> source.lastError() != null);
            return source.lastError();
        }
    }
}
