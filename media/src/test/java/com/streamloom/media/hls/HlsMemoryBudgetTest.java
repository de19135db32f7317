package com.streamloom.media.hls;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import com.streamloom.media.testing.SettableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariant: the HLS windows of a node hold no more than its budget; the largest is trimmed, never a live edge. */
class HlsMemoryBudgetTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    @TempDir
    static Path dir;
    static List<MediaPacket> light;
    static List<MediaPacket> heavy;

    @BeforeAll
    static void encodeSources() {
        light = PacketsForTests.packets(dir, "light", new Source(6, 15, 15, 0, 160, 120));
        heavy = PacketsForTests.packets(dir, "heavy", new Source(6, 15, 15, 0, 640, 480));
    }

    @Test
    void theLargestWindowLosesItsOldestSegmentsWhileTheOthersKeepTheirs() {
        long lightBytes = heldAlone(light);
        long heavyBytes = heldAlone(heavy);
        assertThat(heavyBytes).as("the heavy source holds far more").isGreaterThan(4 * lightBytes);
        long limit = 2 * lightBytes + heavyBytes * 6 / 10;
        HlsMemoryBudget budget = new HlsMemoryBudget(limit);
        HlsPackager a = packager("a", budget);
        HlsPackager b = packager("b", budget);
        HlsPackager big = packager("big", budget);
        feed(a, light);
        feed(b, light);
        feed(big, heavy);

        assertThat(budget.bytes()).isLessThanOrEqualTo(limit)
                .isEqualTo(held(a) + held(b) + held(big));
        assertThat(budget.trimmedSegments()).isPositive();
        assertThat(budget.overruns()).isZero();
        assertThat(held(a)).as("within its share: untouched").isEqualTo(lightBytes);
        assertThat(held(b)).isEqualTo(lightBytes);
        assertThat(big.segment("0.ts")).as("the largest window's oldest segment went first").isNull();
        assertThat(big.snapshot().segments()).as("its live edge is still listed").hasSize(3);
        assertThat(big.playlist()).doesNotContain("\n0.ts");
    }

    @Test
    void aBudgetTooSmallForEveryLiveEdgeKeepsThemAndCountsTheOverrun() {
        HlsMemoryBudget budget = new HlsMemoryBudget(1);
        HlsPackager a = packager("a", budget);
        HlsPackager big = packager("big", budget);
        feed(a, light);
        feed(big, heavy);

        assertThat(budget.overruns()).isPositive();
        for (HlsPackager p : List.of(a, big)) {
            assertThat(p.snapshot().segments()).as(p.stream()).hasSize(HlsMemoryBudget.LIVE_EDGE_SEGMENTS);
            long newest = p.snapshot().segments().get(2).sequence();
            assertThat(p.segment((newest - 3) + ".ts")).as("nothing older than the live edge").isNull();
        }
        assertThat(budget.bytes()).isEqualTo(held(a) + held(big));

        a.close();
        assertThat(budget.bytes()).as("a closed packager no longer counts").isEqualTo(held(big));
    }

    /** What a window holds with nothing else on the node and no budget to speak of. */
    private long heldAlone(List<MediaPacket> packets) {
        HlsMemoryBudget alone = HlsMemoryBudget.unlimited();
        HlsPackager p = packager("alone", alone);
        feed(p, packets);
        assertThat(alone.bytes()).isEqualTo(held(p));
        return alone.bytes();
    }

    /** Bytes of every segment the packager still serves. */
    private static long held(HlsPackager p) {
        long sum = 0;
        for (long n = 0; n < 100; n++) {
            HlsSegment s = p.segment(n + ".ts");
            sum += s == null ? 0 : s.data().length;
        }
        return sum;
    }

    private static HlsPackager packager(String name, HlsMemoryBudget budget) {
        HlsPackager p = new HlsPackager(name, new HlsSettings(1_000_000, 3, HlsSettings.DEFAULT_PART_MICROS, null),
                new SettableClock(START), 0);
        p.chargeTo(budget);
        return p;
    }

    private static void feed(HlsPackager packager, List<MediaPacket> packets) {
        packets.forEach(packager::accept);
        packager.end("source over");
    }
}
