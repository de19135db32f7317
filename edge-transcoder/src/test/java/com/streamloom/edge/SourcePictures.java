package com.streamloom.edge;

import com.streamloom.media.testing.HlsProbe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pictures of a source file, measured on a 4x4 grid, so that a test can tell whether a picture that came out of
 * the edge is one of them: re-encoding moves a region's mean by a few code values, a different picture (black,
 * grey, another pattern, a wrong crop) by tens.
 */
final class SourcePictures {
    private static final HlsProbe.Region[] GRID = grid(4);

    private final List<HlsProbe.Picture> pictures;

    private SourcePictures(List<HlsProbe.Picture> pictures) {
        this.pictures = pictures;
    }

    static SourcePictures decode(Path file) {
        try {
            return new SourcePictures(HlsProbe.decode(Files.readAllBytes(file), GRID).pictures());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The longest of the newest three segments: under load a segment may be cut short to keep the target duration
     * and realign at the next keyframe (RFC 8216 4.3.3.1), and a short one says little about the source.
     */
    static HlsProbe.Segment longestRecent(HlsProbe.Playlist playlist) {
        List<HlsProbe.Segment> segments = playlist.segments();
        return segments.subList(Math.max(0, segments.size() - 3), segments.size()).stream()
                .max(java.util.Comparator.comparingDouble(HlsProbe.Segment::durationSeconds)).orElseThrow();
    }

    /**
     * Asserts that an HLS segment carries this source: more than ten pictures, each at the source's size and close
     * to one of its pictures, and audio whose strongest content is the source's tone.
     */
    void assertCarriedBy(HlsProbe.Segment segment, int toneHz) {
        HlsProbe.Media media = HlsProbe.decode(HlsProbe.download(segment.uri()), GRID);
        HlsProbe.Picture first = pictures.get(0);
        assertThat(media.pictures()).as("pictures in %s", segment.uri()).hasSizeGreaterThan(10);
        for (HlsProbe.Picture p : media.pictures()) {
            assertThat(p.width()).isEqualTo(first.width());
            assertThat(p.height()).isEqualTo(first.height());
            assertThat(distanceToNearest(p)).as("distance of the picture at %d us to the nearest source picture",
                    p.timestampMicros()).isLessThan(5.0);
        }
        HlsProbe.Audio audio = media.audio();
        assertThat(audio).as("audio in %s", segment.uri()).isNotNull();
        assertThat(audio.rms(audio.startMicros(), audio.startMicros() + audio.durationMicros())).isGreaterThan(0.05);
        assertThat(audio.toneLevel(toneHz)).isGreaterThan(10 * audio.toneLevel(toneHz * 0.7));
    }

    int size() {
        return pictures.size();
    }

    /** Largest difference of luma between two grid cells of the first picture: how much structure there is. */
    double lumaContrast() {
        List<HlsProbe.YuvMean> cells = pictures.get(0).regions();
        double min = cells.stream().mapToDouble(HlsProbe.YuvMean::y).min().orElse(0);
        double max = cells.stream().mapToDouble(HlsProbe.YuvMean::y).max().orElse(0);
        return max - min;
    }

    /** Mean absolute difference (Y, U and V of every cell) between {@code picture} and the closest source picture. */
    double distanceToNearest(HlsProbe.Picture picture) {
        double best = Double.MAX_VALUE;
        for (HlsProbe.Picture source : pictures) {
            best = Math.min(best, distance(source, picture));
        }
        return best;
    }

    private static double distance(HlsProbe.Picture a, HlsProbe.Picture b) {
        double sum = 0;
        for (int i = 0; i < GRID.length; i++) {
            HlsProbe.YuvMean x = a.regions().get(i);
            HlsProbe.YuvMean y = b.regions().get(i);
            sum += Math.abs(x.y() - y.y()) + Math.abs(x.u() - y.u()) + Math.abs(x.v() - y.v());
        }
        return sum / (3.0 * GRID.length);
    }

    private static HlsProbe.Region[] grid(int n) {
        List<HlsProbe.Region> cells = new ArrayList<>();
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                cells.add(new HlsProbe.Region((double) col / n, (double) row / n, 1.0 / n, 1.0 / n));
            }
        }
        return cells.toArray(HlsProbe.Region[]::new);
    }
}
