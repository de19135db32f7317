package com.streamloom.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The summary shows every benchmark's rows from this build, in one table, and never a stale result as current. */
class BenchSummaryTest {
    @TempDir
    Path dir;

    @Test
    void rowsSurviveTheirFileAndRatiosPointTheSameWay() {
        BenchRow fps = BenchRow.higherIsBetter("fps", "120.0 fps", "100.0 fps (ffmpeg CLI)", 120, 100);
        BenchRow latency = BenchRow.lowerIsBetter("p99", "10.0 ms", "goal <= 50 ms", 10, 50);
        Instant when = Instant.parse("2026-12-03T15:00:00.123Z");
        BenchResults.write(dir, new BenchResults.Section("edge", when, List.of(fps, latency)));

        BenchResults.Section read = BenchResults.read(dir, "edge");

        assertThat(read.written()).isEqualTo(when);
        assertThat(read.rows()).containsExactly(fps, latency);
        assertThat(fps.ratio()).isCloseTo(1.2, within(1e-9));
        assertThat(latency.ratio()).isCloseTo(5.0, within(1e-9));
        assertThat(BenchResults.read(dir, "compositor")).isNull();
    }

    @Test
    void tableAlignsTheColumnsAndNamesWhatDidNotRun() {
        BenchResults.Section edge = new BenchResults.Section("edge", Instant.EPOCH, List.of(
                new BenchRow("edge fps", "169.2 fps", "169.2 fps (ffmpeg CLI)", 1.05),
                new BenchRow("edge p99 latency", "14.9 ms", "goal <= 50 ms", Double.NaN)));

        String table = BenchSummary.table(List.of(edge), List.of("control-api"));

        List<String> lines = table.lines().toList();
        assertThat(lines.get(1)).startsWith("benchmark").contains("ours", "theirs", "ratio");
        assertThat(lines.get(2)).startsWith("edge fps").endsWith("1.05");
        assertThat(lines.get(3)).endsWith("-");
        assertThat(lines.get(2).indexOf("169.2 fps (ffmpeg")).isEqualTo(lines.get(3).indexOf("goal <= 50"))
                .isEqualTo(lines.get(1).indexOf("theirs"));
        assertThat(lines.get(4)).startsWith("control-api: no result from this build");
    }

    @Test
    void mainShowsOnlyResultsWrittenSinceTheBuildStarted() throws Exception {
        Instant started = Instant.parse("2026-12-03T15:00:00Z");
        BenchResults.write(dir, new BenchResults.Section("edge", started.plusSeconds(30),
                List.of(new BenchRow("edge fps", "1 fps", "1 fps (ffmpeg CLI)", 1))));
        BenchResults.write(dir, new BenchResults.Section("compositor", started.minusSeconds(3600),
                List.of(new BenchRow("old compositor fps", "1 fps", "1 fps (ffmpeg xstack)", 1))));
        Files.writeString(dir.resolve("control-api.tsv"),
                "# written 2026-12-03T15:00:00.500Z\ncontrol API heartbeats/s\t24000/s\tgoal >= 5000/s\t4.8\n");

        String out = captureMain(dir.toString(), started.toString());

        assertThat(out).contains("edge fps", "control API heartbeats/s", "4.80", "compositor: no result from this build")
                .doesNotContain("old compositor fps");
    }

    @Test
    void refusesAResultFileItCannotRead() throws Exception {
        Files.writeString(dir.resolve("edge.tsv"), "# written 2026-12-03T15:00:00Z\nonly\ttwo\n");
        assertThatThrownBy(() -> BenchResults.read(dir, "edge")).hasMessageContaining("expected 4 tab-separated");
        assertThatThrownBy(() -> new BenchRow("a\tb", "1", "2", 1)).hasMessageContaining("without tabs");
    }

    private static String captureMain(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            BenchSummary.main(args);
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
