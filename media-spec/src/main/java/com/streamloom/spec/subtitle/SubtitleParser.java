package com.streamloom.spec.subtitle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SubRip (SRT) and WebVTT documents into cues sorted by start time.
 *
 * <p>Lenient where real files differ harmlessly (a byte order mark, CRLF or CR line ends, missing hours, '.' or ','
 * before milliseconds, cue numbers missing, cue settings such as {@code align:start} or SRT's {@code X1:} box, which
 * are ignored), strict where a guess would show the wrong text at the wrong time: a broken timestamp, an end before
 * the start, or a block that is not a cue is a {@link SubtitleFormatException} naming the line. Markup ({@code <i>},
 * {@code <b>}, {@code <font>}, WebVTT's {@code <c.x>}, {@code <v Name>} and inline timestamps, SSA {@code {\an8}})
 * is stripped, as the overlay draws plain text.
 *
 * <p>Limits keep a hostile document from using unbounded memory or time: {@link #MAX_DOCUMENT_CHARS},
 * {@link #MAX_CUES} and {@link #MAX_CUE_TEXT_CHARS}.
 */
public final class SubtitleParser {
    /** Same bound as the catalog's {@code subtitles.content} parameter. */
    public static final int MAX_DOCUMENT_CHARS = 2_000_000;
    public static final int MAX_CUES = 20_000;
    public static final int MAX_CUE_TEXT_CHARS = 2_000;

    /** [hours:]minutes:seconds[.,]milliseconds; hours any 1-6 digits, minutes and seconds two digits. */
    private static final Pattern TIMESTAMP = Pattern.compile("(?:(\\d{1,6}):)?(\\d{2}):(\\d{2})[.,](\\d{3})");
    private static final Pattern TIMING = Pattern.compile("^\\s*(\\S+)\\s+-->\\s+(\\S+)(?:\\s.*)?$");
    private static final Pattern TAG = Pattern.compile("<[^>\\n]*>");
    private static final Pattern SSA_OVERRIDE = Pattern.compile("\\{\\\\[^}]*}");

    private SubtitleParser() {
    }

    /** Parses a document in the catalog's {@code format}: {@code "srt"} or {@code "vtt"}. */
    public static List<SubtitleCue> parse(String format, String document) {
        return switch (format) {
            case "srt" -> parseSrt(document);
            case "vtt" -> parseVtt(document);
            default -> throw new IllegalArgumentException("subtitle format must be srt or vtt, got " + format);
        };
    }

    /** SubRip: blocks of an optional cue number, a timing line {@code 00:00:01,000 --> 00:00:02,500}, text lines. */
    public static List<SubtitleCue> parseSrt(String document) {
        String[] lines = lines(document);
        List<SubtitleCue> cues = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            int timing = i;
            if (!lines[i].contains("-->")) {
                if (lines[i].strip().matches("\\d{1,9}") && i + 1 < lines.length && lines[i + 1].contains("-->")) {
                    timing = i + 1;
                } else {
                    throw new SubtitleFormatException(i + 1, "expected a cue number or a timing line like "
                            + "'00:00:01,000 --> 00:00:02,500', got '" + excerpt(lines[i]) + "'");
                }
            }
            i = readCue(lines, timing, cues, false);
        }
        return sorted(cues);
    }

    /** WebVTT (W3C WebVTT, section 4): a {@code WEBVTT} header, then cues, NOTE, STYLE and REGION blocks. */
    public static List<SubtitleCue> parseVtt(String document) {
        String[] lines = lines(document);
        if (lines.length == 0 || !lines[0].matches("WEBVTT([ \\t].*)?")) {
            throw new SubtitleFormatException(1, "a WebVTT document must start with 'WEBVTT', got '"
                    + excerpt(lines.length == 0 ? "" : lines[0]) + "'");
        }
        List<SubtitleCue> cues = new ArrayList<>();
        int i = skipBlock(lines, 0); // the header runs to the first blank line
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            String first = lines[i];
            if (!first.contains("-->") && first.matches("(NOTE|STYLE|REGION)([ \\t].*)?")) {
                i = skipBlock(lines, i);
                continue;
            }
            int timing = i;
            if (!first.contains("-->")) {
                if (i + 1 < lines.length && lines[i + 1].contains("-->")) {
                    timing = i + 1; // the first line was the cue identifier
                } else {
                    throw new SubtitleFormatException(i + 1, "expected a cue timing line like "
                            + "'00:01.000 --> 00:02.500', got '" + excerpt(first) + "'");
                }
            }
            i = readCue(lines, timing, cues, true);
        }
        return sorted(cues);
    }

    /** Reads the timing line at {@code timing} and the text after it; returns the index after the block. */
    private static int readCue(String[] lines, int timing, List<SubtitleCue> cues, boolean vtt) {
        if (cues.size() >= MAX_CUES) {
            throw new SubtitleFormatException(timing + 1, "more than " + MAX_CUES + " cues");
        }
        Matcher m = TIMING.matcher(lines[timing]);
        if (!m.matches()) {
            throw new SubtitleFormatException(timing + 1, "bad timing line '" + excerpt(lines[timing])
                    + "'; expected 'start --> end'");
        }
        long start = timestamp(m.group(1), timing + 1);
        long end = timestamp(m.group(2), timing + 1);
        if (end < start) {
            throw new SubtitleFormatException(timing + 1, "cue ends (" + m.group(2) + ") before it starts ("
                    + m.group(1) + ")");
        }
        StringBuilder text = new StringBuilder();
        int i = timing + 1;
        for (; i < lines.length && !lines[i].isBlank(); i++) {
            if (lines[i].contains("-->")) {
                throw new SubtitleFormatException(i + 1, "timing line inside a cue's text; is a blank line missing"
                        + " before it?");
            }
            if (text.length() + lines[i].length() > MAX_CUE_TEXT_CHARS) {
                throw new SubtitleFormatException(i + 1, "cue text longer than " + MAX_CUE_TEXT_CHARS
                        + " characters");
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(lines[i]);
        }
        cues.add(new SubtitleCue(start, end, plainText(text.toString(), vtt)));
        return i;
    }

    private static long timestamp(String text, int line) {
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches()) {
            throw new SubtitleFormatException(line, "bad timestamp '" + excerpt(text)
                    + "'; expected hh:mm:ss,mmm (SRT) or [hh:]mm:ss.mmm (WebVTT)");
        }
        long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        int minutes = Integer.parseInt(m.group(2));
        int seconds = Integer.parseInt(m.group(3));
        int millis = Integer.parseInt(m.group(4));
        if (minutes > 59 || seconds > 59) {
            throw new SubtitleFormatException(line, "bad timestamp '" + text + "': minutes and seconds must be 00-59");
        }
        return (((hours * 60 + minutes) * 60 + seconds) * 1000 + millis) * 1000;
    }

    /** Drops markup and control characters; WebVTT also escapes {@code & < >} as entities (WebVTT 4.2.2). */
    private static String plainText(String raw, boolean vtt) {
        String text = TAG.matcher(raw).replaceAll("");
        if (vtt) {
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00A0")
                    .replace("&lrm;", "\u200E").replace("&rlm;", "\u200F").replace("&amp;", "&");
        } else {
            text = SSA_OVERRIDE.matcher(text).replaceAll("");
        }
        return CueText.keepLines(text).strip();
    }

    private static String[] lines(String document) {
        if (document == null) {
            throw new SubtitleFormatException(0, "subtitle document is missing");
        }
        if (document.length() > MAX_DOCUMENT_CHARS) {
            throw new SubtitleFormatException(0, "subtitle document has " + document.length()
                    + " characters; the limit is " + MAX_DOCUMENT_CHARS);
        }
        String text = document.startsWith("\uFEFF") ? document.substring(1) : document;
        return text.isEmpty() ? new String[0] : text.split("\r\n|\r|\n", -1);
    }

    private static int skipBlock(String[] lines, int i) {
        while (i < lines.length && !lines[i].isBlank()) {
            i++;
        }
        return i;
    }

    private static List<SubtitleCue> sorted(List<SubtitleCue> cues) {
        cues.sort(Comparator.comparingLong(SubtitleCue::startMicros)); // stable: equal starts keep file order
        return List.copyOf(cues);
    }

    private static String excerpt(String line) {
        String s = line.strip();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
