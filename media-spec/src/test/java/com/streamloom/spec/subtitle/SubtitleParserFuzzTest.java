package com.streamloom.spec.subtitle;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SRT and WebVTT parsers reject any document with {@link SubtitleFormatException} and nothing else; what they
 * accept is within the documented limits and sorted by start time.
 */
class SubtitleParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsersThrowOnlyFormatExceptions(byte[] data) {
        String document = new String(data, StandardCharsets.UTF_8);
        for (String format : new String[] {"srt", "vtt"}) {
            List<SubtitleCue> cues;
            try {
                cues = SubtitleParser.parse(format, document);
            } catch (SubtitleFormatException expected) {
                continue; // not a document of this format: fine
            }
            assertThat(cues.size()).isLessThanOrEqualTo(SubtitleParser.MAX_CUES);
            long previousStart = Long.MIN_VALUE;
            for (SubtitleCue cue : cues) {
                assertThat(cue.startMicros()).isNotNegative().isGreaterThanOrEqualTo(previousStart);
                assertThat(cue.text().length()).isLessThanOrEqualTo(SubtitleParser.MAX_CUE_TEXT_CHARS);
                previousStart = cue.startMicros();
            }
        }
    }
}
