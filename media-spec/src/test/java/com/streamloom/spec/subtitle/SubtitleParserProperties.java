package com.streamloom.spec.subtitle;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any list of cues written as SRT or WebVTT parses back to the same cues; any near-miss text is either parsed or
 * refused with a {@link SubtitleFormatException}, never another exception.
 */
class SubtitleParserProperties {

    @Property(tries = 300)
    void nearMissDocumentsParseOrAreRefusedClearly(@ForAll("nearMissDocuments") String document) {
        for (String format : List.of("srt", "vtt")) {
            try {
                for (SubtitleCue cue : SubtitleParser.parse(format, document)) {
                    assertThat(cue.endMicros()).isGreaterThanOrEqualTo(cue.startMicros());
                    assertThat(cue.text()).doesNotContain("\u0000"); // control characters are removed
                }
            } catch (SubtitleFormatException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }

    /** Documents made of the tokens subtitle files are made of, in random order: timestamps, arrows, markup. */
    @Provide
    Arbitrary<String> nearMissDocuments() {
        Arbitrary<String> token = Arbitraries.of("WEBVTT", "\n", "\r\n", "\r", "\uFEFF", "1", "00:00:01,000",
                "00:01.500", "99:59:59.999", "00:61:00,000", " --> ", "-->", " ", "<i>", "</i>", "<b", "&amp;", "NOTE",
                "STYLE", "{\\an8}", "text", "你好", "\u0000", "\t", "align:start", "123456789012");
        return token.list().ofMaxSize(60).map(tokens -> String.join("", tokens));
    }

    @Property(tries = 200)
    void srtRoundTrips(@ForAll("cueLists") List<SubtitleCue> cues) {
        assertThat(SubtitleParser.parseSrt(writeSrt(cues))).isEqualTo(sortedByStart(cues));
    }

    @Property(tries = 200)
    void vttRoundTrips(@ForAll("cueLists") List<SubtitleCue> cues) {
        assertThat(SubtitleParser.parseVtt(writeVtt(cues))).isEqualTo(sortedByStart(cues));
    }

    @Provide
    Arbitrary<List<SubtitleCue>> cueLists() {
        Arbitrary<Long> startMs = Arbitraries.longs().between(0, 99L * 3_600_000);
        Arbitrary<Long> lengthMs = Arbitraries.longs().between(0, 600_000);
        // Text without markup characters (they would be stripped) and lines that are not blank (a blank line ends
        // a cue), in several scripts.
        Arbitrary<String> line = Arbitraries.strings()
                .withChars("abcXYZ019 .,!?'\"-")
                .withCharRange('\u4e00', '\u4e20')
                .withCharRange('\u0410', '\u044f')
                .ofMinLength(1).ofMaxLength(40)
                .map(String::strip)
                .filter(s -> !s.isEmpty() && !s.contains("-->"));
        Arbitrary<String> text = line.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("\n", l));
        Arbitrary<SubtitleCue> cue = Combinators.combine(startMs, lengthMs, text)
                .as((s, len, t) -> new SubtitleCue(s * 1000, (s + len) * 1000, t));
        return cue.list().ofMaxSize(20);
    }

    private static List<SubtitleCue> sortedByStart(List<SubtitleCue> cues) {
        return cues.stream().sorted(Comparator.comparingLong(SubtitleCue::startMicros)).toList();
    }

    private static String writeSrt(List<SubtitleCue> cues) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            SubtitleCue c = cues.get(i);
            out.append(i + 1).append('\n')
                    .append(time(c.startMicros(), ',')).append(" --> ").append(time(c.endMicros(), ',')).append('\n')
                    .append(c.text()).append("\n\n");
        }
        return out.toString();
    }

    private static String writeVtt(List<SubtitleCue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        for (SubtitleCue c : cues) {
            out.append(time(c.startMicros(), '.')).append(" --> ").append(time(c.endMicros(), '.'))
                    .append(" align:center\n").append(c.text()).append("\n\n");
        }
        return out.toString();
    }

    private static String time(long micros, char separator) {
        long ms = micros / 1000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                separator, ms % 1000);
    }
}
