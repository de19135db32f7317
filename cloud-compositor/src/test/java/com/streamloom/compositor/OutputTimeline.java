package com.streamloom.compositor;

import com.streamloom.media.testing.HlsProbe;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a viewer of a composition sees over time: every picture of every new segment of an HLS playlist, placed on
 * the wall clock by the segment's EXT-X-PROGRAM-DATE-TIME (the wall time of its first sample) plus the picture's
 * offset in the segment. The compositor stamps output frames on its own wall clock, so "when did the output change"
 * can be compared with "when did the test change the input".
 */
final class OutputTimeline {
    /** One decoded output picture at its wall time, with the mean colour of each requested region. */
    record Shot(Instant wall, long sequence, List<HlsProbe.YuvMean> regions) {
    }

    private OutputTimeline() {
    }

    /**
     * Collects the pictures of segments with a sequence number above {@code afterSequence} until one segment starts
     * at or after {@code until}, or {@code timeout} passes.
     */
    static List<Shot> collect(URI playlist, long afterSequence, Instant until, Duration timeout,
                              HlsProbe.Region... regions) {
        List<Shot> shots = new ArrayList<>();
        long seen = afterSequence;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HlsProbe.Playlist p = HlsProbe.fetchPlaylist(playlist);
            boolean done = false;
            for (HlsProbe.Segment s : p.segments()) {
                if (s.sequence() <= seen) continue;
                seen = s.sequence();
                Instant start = Instant.parse(s.programDateTime());
                HlsProbe.Media m = HlsProbe.decode(HlsProbe.download(s.uri()), regions);
                long first = m.pictures().isEmpty() ? 0 : m.pictures().get(0).timestampMicros();
                for (HlsProbe.Picture pic : m.pictures()) {
                    shots.add(new Shot(start.plusNanos((pic.timestampMicros() - first) * 1000), s.sequence(),
                            pic.regions()));
                }
                if (!start.isBefore(until)) done = true;
            }
            if (done) return shots;
            sleep(200);
        }
        throw new AssertionError("no segment starting after " + until + " within " + timeout);
    }

    /** The first shot at or after {@code from} that satisfies {@code condition}, or null. */
    static Shot first(List<Shot> shots, Instant from, Predicate<Shot> condition) {
        return shots.stream().filter(s -> !s.wall().isBefore(from)).filter(condition).findFirst().orElse(null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
