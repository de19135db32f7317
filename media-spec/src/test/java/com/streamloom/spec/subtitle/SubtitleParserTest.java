package com.streamloom.spec.subtitle;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SRT and WebVTT documents parse as players read them, and a bad one names its line. */
class SubtitleParserTest {

    @Test
    void readsSrtWithMultiLineCuesTagsBomAndCrlf() {
        String srt = "\uFEFF1\r\n"
                + "00:00:01,000 --> 00:00:02,500\r\n"
                + "<i>Hello</i> <b>world</b>\r\n"
                + "second line\r\n"
                + "\r\n"
                + "2\r\n"
                + "00:01:02,003 --> 01:00:00,000 X1:10 X2:100 Y1:10 Y2:50\r\n"
                + "{\\an8}<font color=\"#ff0000\">你好</font>\r\n";
        assertThat(SubtitleParser.parseSrt(srt)).containsExactly(
                new SubtitleCue(1_000_000, 2_500_000, "Hello world\nsecond line"),
                new SubtitleCue(62_003_000, 3_600_000_000L, "你好"));
    }

    @Test
    void srtCueNumbersAreOptionalAndCuesAreSortedByStart() {
        String srt = "00:00:05,000 --> 00:00:06,000\nlater\n\n00:00:01,000 --> 00:00:02,000\nearlier\n";
        assertThat(SubtitleParser.parseSrt(srt)).extracting(SubtitleCue::text).containsExactly("earlier", "later");
    }

    @Test
    void readsWebVttWithHeaderIdentifiersNotesSettingsAndShortTimestamps() {
        String vtt = "WEBVTT - a title\n"
                + "Kind: captions\n"
                + "\n"
                + "NOTE this is a comment\n"
                + "spanning lines\n"
                + "\n"
                + "STYLE\n"
                + "::cue { color: yellow }\n"
                + "\n"
                + "intro\n"
                + "00:01.000 --> 00:02.500 align:start position:10% line:0\n"
                + "<v Roger>Hi &amp; <c.loud>welcome</c> &lt;3\n"
                + "\n"
                + "01:00:00.000 --> 01:00:01.000\n"
                + "<00:00:00.500>karaoke <ruby>漢<rt>kan</rt></ruby>\n";
        assertThat(SubtitleParser.parseVtt(vtt)).containsExactly(
                new SubtitleCue(1_000_000, 2_500_000, "Hi & welcome <3"),
                new SubtitleCue(3_600_000_000L, 3_601_000_000L, "karaoke 漢kan"));
    }

    @Test
    void parseDispatchesOnTheCatalogFormat() {
        assertThat(SubtitleParser.parse("vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n")).hasSize(1);
        assertThat(SubtitleParser.parse("srt", "1\n00:00:01,000 --> 00:00:02,000\nx\n")).hasSize(1);
        assertThatThrownBy(() -> SubtitleParser.parse("ass", "")).hasMessageContaining("srt or vtt");
    }

    @Test
    void emptyDocumentsHaveNoCues() {
        assertThat(SubtitleParser.parseSrt("")).isEmpty();
        assertThat(SubtitleParser.parseSrt("\n\n  \n")).isEmpty();
        assertThat(SubtitleParser.parseVtt("WEBVTT\n")).isEmpty();
    }

    @Test
    void badTimestampNamesItsLine() {
        String srt = "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:3,000 --> 00:00:04,000\nbad\n";
        assertThatThrownBy(() -> SubtitleParser.parseSrt(srt))
                .isInstanceOf(SubtitleFormatException.class)
                .hasMessageStartingWith("line 6: bad timestamp '00:00:3,000'")
                .satisfies(e -> assertThat(((SubtitleFormatException) e).line()).isEqualTo(6));
    }

    @Test
    void minutesAndSecondsAbove59AreRefused() {
        assertThatThrownBy(() -> SubtitleParser.parseSrt("00:00:61,000 --> 00:01:02,000\nx\n"))
                .hasMessageContaining("line 1").hasMessageContaining("00-59");
    }

    @Test
    void endBeforeStartIsRefused() {
        assertThatThrownBy(() -> SubtitleParser.parseVtt("WEBVTT\n\n00:05.000 --> 00:04.000\nbackwards\n"))
                .isInstanceOf(SubtitleFormatException.class)
                .hasMessage("line 3: cue ends (00:04.000) before it starts (00:05.000)");
    }

    @Test
    void missingArrowIsRefused() {
        assertThatThrownBy(() -> SubtitleParser.parseSrt("1\n00:00:01,000 - 00:00:02,000\nx\n"))
                .hasMessageStartingWith("line 1: expected a cue number or a timing line");
    }

    @Test
    void vttWithoutHeaderIsRefused() {
        assertThatThrownBy(() -> SubtitleParser.parseVtt("00:01.000 --> 00:02.000\nx\n"))
                .hasMessageStartingWith("line 1: a WebVTT document must start with 'WEBVTT'");
        assertThatThrownBy(() -> SubtitleParser.parseVtt("WEBVTTX\n"))
                .hasMessageStartingWith("line 1:");
    }

    @Test
    void timingLineInsideTextIsRefused() {
        String srt = "1\n00:00:01,000 --> 00:00:02,000\nx\n00:00:03,000 --> 00:00:04,000\ny\n";
        assertThatThrownBy(() -> SubtitleParser.parseSrt(srt)).hasMessageStartingWith("line 4: timing line inside");
    }

    @Test
    void garbageBinaryIsAClearErrorNotACrash() {
        assertThatThrownBy(() -> SubtitleParser.parseSrt("\u0000\u0001PNG\u0002 --> \uFFFF"))
                .isInstanceOf(SubtitleFormatException.class).hasMessageContaining("bad timestamp");
    }

    @Test
    void hugeDocumentIsRefusedByItsSize() {
        String huge = "x".repeat(SubtitleParser.MAX_DOCUMENT_CHARS + 1);
        assertThatThrownBy(() -> SubtitleParser.parseSrt(huge))
                .isInstanceOf(SubtitleFormatException.class)
                .hasMessageContaining("limit is " + SubtitleParser.MAX_DOCUMENT_CHARS);
    }

    @Test
    void tooManyCuesAreRefused() {
        StringBuilder srt = new StringBuilder();
        for (int i = 0; i <= SubtitleParser.MAX_CUES; i++) {
            srt.append("00:00:01,000 --> 00:00:02,000\nx\n\n");
        }
        assertThatThrownBy(() -> SubtitleParser.parseSrt(srt.toString()))
                .hasMessageContaining("more than " + SubtitleParser.MAX_CUES + " cues")
                .hasMessageStartingWith("line " + (SubtitleParser.MAX_CUES * 3 + 1) + ":");
    }

    @Test
    void overlongCueTextIsRefused() {
        String srt = "00:00:01,000 --> 00:00:02,000\n" + "y".repeat(SubtitleParser.MAX_CUE_TEXT_CHARS + 1) + "\n";
        assertThatThrownBy(() -> SubtitleParser.parseSrt(srt)).hasMessageStartingWith("line 2: cue text longer");
    }

    @Test
    void cueShowsFromStartInclusiveToEndExclusive() {
        SubtitleCue c = new SubtitleCue(1_000_000, 2_000_000, "x");
        assertThat(List.of(c.showsAt(999_999), c.showsAt(1_000_000), c.showsAt(1_999_999), c.showsAt(2_000_000)))
                .containsExactly(false, true, true, false);
    }
}
