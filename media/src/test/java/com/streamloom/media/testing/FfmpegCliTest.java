package com.streamloom.media.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ffmpeg CLI helper finds the bundled binaries, reports failures with their log and never outlives its timeout. */
class FfmpegCliTest {

    @Test
    void findsJavaCvsFfmpegAndFfprobe() {
        assertThat(Files.isExecutable(FfmpegCli.ffmpegPath())).isTrue();
        assertThat(Files.isExecutable(FfmpegCli.ffprobePath())).isTrue();
        assertThat(FfmpegCli.run(Duration.ofSeconds(10), "-version").requireSuccess().stdoutText())
                .startsWith("ffmpeg version");
        assertThat(FfmpegCli.probe(Duration.ofSeconds(10), "-version").requireSuccess().stdoutText())
                .startsWith("ffprobe version");
    }

    @Test
    void failedRunReportsItsLog() {
        FfmpegCli.Result r = FfmpegCli.run(Duration.ofSeconds(10), "-i", "/nonexistent/input.mp4");
        assertThat(r.exitCode()).isNotZero();
        assertThatThrownBy(r::requireSuccess).hasMessageContaining("No such file or directory");
    }

    @Test
    void runThatOverstaysItsTimeoutIsKilled() {
        FfmpegCli endless = FfmpegCli.start("-re", "-f", "lavfi", "-i", "color=s=64x64:r=5", "-f", "null", "-");
        assertThatThrownBy(() -> endless.awaitResult(Duration.ofMillis(700))).hasMessageContaining("timed out");
        assertThat(endless.isAlive()).isFalse();
    }

    @Test
    void closeEndsARunningProcessPromptly() {
        FfmpegCli endless = FfmpegCli.start("-re", "-f", "lavfi", "-i", "color=s=64x64:r=5", "-f", "null", "-");
        assertThat(endless.waitFor(Duration.ofMillis(300))).as("still running").isFalse();
        long t0 = System.nanoTime();
        endless.close();
        assertThat(endless.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(ProcessHandle.of(endless.pid())).isEmpty();
    }
}
