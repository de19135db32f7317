package com.streamloom.media.hls;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The LL-HLS playlist of a real packager fed with a real encoded source, parsed line by line. */
class HlsPlaylistRendererTest {
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z-]+)=(\"[^\"]*\"|[^,]*)");
    @TempDir
    static Path dir;
    static List<MediaPacket> sixSeconds;

    @BeforeAll
    static void encode() {
        sixSeconds = PacketsForTests.packets(dir, "six", Source.small(6));
    }

    /** 1 s segments, a window of 6, fed up to 4.5 s: four complete segments and half of the fifth. */
    private static HlsPackager fedTo(long micros) {
        HlsPackager packager = new HlsPackager("cam", new HlsSettings(1_000_000, 6, HlsSettings.DEFAULT_PART_MICROS,
                null), Clock.systemUTC());
        sixSeconds.stream().filter(p -> p.config() || p.dtsMicros() < micros).forEach(packager::accept);
        return packager;
    }

    @Test
    void announcesServerControlAndPartTarget() {
        HlsPackager packager = fedTo(4_500_000);
        List<String> lines = packager.playlist().lines().toList();
        assertThat(lines.get(0)).isEqualTo("#EXTM3U");
        assertThat(lines).contains("#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:1");
        Map<String, String> control = attributes(only(lines, "#EXT-X-SERVER-CONTROL:"));
        assertThat(control.get("CAN-BLOCK-RELOAD")).isEqualTo("YES");
        double partTarget = Double.parseDouble(attributes(only(lines, "#EXT-X-PART-INF:")).get("PART-TARGET"));
        assertThat(partTarget).isCloseTo(packager.partTargetMicros() / 1e6, within(1e-5))
                .isGreaterThanOrEqualTo(HlsSettings.DEFAULT_PART_MICROS / 1e6);
        // rfc8216bis 4.4.3.8: PART-HOLD-BACK at least twice the part target; three times is what we announce.
        assertThat(Double.parseDouble(control.get("PART-HOLD-BACK"))).isCloseTo(3 * partTarget, within(1e-4));
    }

    @Test
    void partsCoverTheRecentSegmentsAndThePendingOne() {
        HlsPackager packager = fedTo(4_500_000);
        PlaylistSnapshot snapshot = packager.snapshot();
        List<String> lines = packager.playlist().lines().toList();
        double partTarget = Double.parseDouble(attributes(only(lines, "#EXT-X-PART-INF:")).get("PART-TARGET"));

        // Group EXT-X-PART lines by the segment they belong to (those before its URI line; the rest are pending).
        Map<String, List<Map<String, String>>> partsBySegment = new LinkedHashMap<>();
        Map<String, Double> extinf = new LinkedHashMap<>();
        List<Map<String, String>> current = new ArrayList<>();
        double duration = -1;
        for (String line : lines) {
            if (line.startsWith("#EXT-X-PART:")) {
                current.add(attributes(line.substring("#EXT-X-PART:".length())));
            } else if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (!line.startsWith("#")) {
                partsBySegment.put(line, current);
                extinf.put(line, duration);
                current = new ArrayList<>();
            }
        }
        List<Map<String, String>> pending = current;

        assertThat(extinf.keySet()).containsExactly("0.ts", "1.ts", "2.ts", "3.ts");
        // Parts are listed for segments within three target durations of the live edge (4.5 s): 1.ts to 3.ts.
        assertThat(partsBySegment.get("0.ts")).isEmpty();
        for (String name : List.of("1.ts", "2.ts", "3.ts")) {
            List<Map<String, String>> parts = partsBySegment.get(name);
            long sequence = Long.parseLong(name.substring(0, name.indexOf('.')));
            assertThat(parts).as(name).hasSize(packager.segment(name).parts().size()).hasSizeGreaterThan(1);
            for (int i = 0; i < parts.size(); i++) {
                assertThat(parts.get(i).get("URI")).isEqualTo("\"" + sequence + "." + i + ".ts\"");
            }
            // The segment starts with its keyframe: its first part is independent.
            assertThat(parts.get(0).get("INDEPENDENT")).isEqualTo("YES");
            double sum = parts.stream().mapToDouble(p -> Double.parseDouble(p.get("DURATION"))).sum();
            assertThat(sum).as(name).isCloseTo(extinf.get(name), within(0.001 + parts.size() * 0.00001));
        }
        // The segment being written: its parts so far, then a hint for the next one.
        assertThat(pending).hasSize(snapshot.pendingParts().size()).isNotEmpty();
        for (int i = 0; i < pending.size(); i++) {
            assertThat(pending.get(i).get("URI")).isEqualTo("\"" + snapshot.nextSequence() + "." + i + ".ts\"");
        }
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("#EXT-X-PRELOAD-HINT:");
        Map<String, String> hint = attributes(last.substring("#EXT-X-PRELOAD-HINT:".length()));
        assertThat(hint.get("TYPE")).isEqualTo("PART");
        assertThat(hint.get("URI")).isEqualTo("\"" + snapshot.nextSequence() + "." + pending.size() + ".ts\"");
        // rfc8216bis 4.4.4.9: no part is longer than PART-TARGET.
        List<Map<String, String>> all = new ArrayList<>(pending);
        partsBySegment.values().forEach(all::addAll);
        assertThat(all).allSatisfy(p -> assertThat(Double.parseDouble(p.get("DURATION")))
                .isLessThanOrEqualTo(partTarget).isPositive());
    }

    @Test
    void playersThatIgnoreLowLatencyTagsSeeThePlainPlaylist() {
        HlsPackager packager = fedTo(4_500_000);
        String low = packager.playlist();
        String plain = HlsPlaylistRenderer.render(packager.snapshot());
        // Dropping the LL-only lines (and the version) leaves exactly the RFC 8216 playlist.
        List<String> stripped = low.lines().filter(l -> !l.startsWith("#EXT-X-PART") && !l.startsWith("#EXT-X-PRELOAD-HINT")
                && !l.startsWith("#EXT-X-SERVER-CONTROL") && !l.startsWith("#EXT-X-VERSION")).toList();
        assertThat(stripped).isEqualTo(plain.lines().filter(l -> !l.startsWith("#EXT-X-VERSION")).toList());
        assertThat(HlsPackagerTest.Playlist.parse(low).uris()).containsExactly("0.ts", "1.ts", "2.ts", "3.ts");
    }

    @Test
    void discontinuityPrecedesTheFirstPartOfItsSegment() {
        HlsPackager packager = new HlsPackager("cam", new HlsSettings(1_000_000, 6, HlsSettings.DEFAULT_PART_MICROS,
                null), Clock.systemUTC());
        sixSeconds.stream().filter(p -> p.config() || p.dtsMicros() < 2_500_000).forEach(packager::accept);
        packager.end("publisher left");
        sixSeconds.stream().filter(p -> p.config() || p.dtsMicros() < 1_500_000).forEach(packager::accept);
        List<String> lines = packager.playlist().lines().toList();
        int discontinuity = lines.indexOf("#EXT-X-DISCONTINUITY");
        assertThat(discontinuity).as(packager.playlist()).isPositive();
        assertThat(lines.get(discontinuity + 1)).startsWith("#EXT-X-PART:").contains("URI=\"3.0.ts\"");
        assertThat(HlsPackagerTest.Playlist.parse(packager.playlist()).discontinuityBefore())
                .containsExactly(false, false, false, true);
    }

    private static String only(List<String> lines, String prefix) {
        List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
        assertThat(found).as(prefix).hasSize(1);
        return found.get(0).substring(prefix.length());
    }

    private static Map<String, String> attributes(String list) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(list);
        while (m.find()) {
            attributes.put(m.group(1), m.group(2));
        }
        return attributes;
    }
}
