package com.streamloom.spec;

/**
 * Checks a libavfilter graph description in pure Java, as libavfilter's own parser reads it (FFmpeg's
 * {@code graphparser.c}; syntax in ffmpeg-filters, section "Filtergraph syntax"): chains separated by {@code ;},
 * filters by {@code ,}, each filter {@code [in]name@id=args[out]}, arguments quoted with {@code '} or escaped with
 * {@code \}. Every filter name must be one {@link FfmpegFilters} allows, and no option may name a file. What only
 * FFmpeg itself can tell (an option a filter does not have, a value out of its range) is left to the node, which
 * builds the graph before any frame flows.
 */
public final class FfmpegGraph {
    private static final String WHITESPACE = " \n\t\r";

    private final String field;
    private final String text;
    private int pos;

    private FfmpegGraph(String field, String text) {
        this.field = field;
        this.text = text;
    }

    /** Throws a {@link SpecException} naming {@code field} if {@code description} is not a graph a node may build. */
    public static void check(String field, String description) {
        if (description == null || description.isBlank()) {
            throw new SpecException(field, "is empty; give a filter graph such as hqdn3d=4 or eq=gamma=1.2");
        }
        new FfmpegGraph(field, description).graph();
    }

    private void graph() {
        while (true) {
            chain();
            skipWhitespace();
            if (pos == text.length()) {
                return;
            }
            if (text.charAt(pos) != ';') {
                throw error("unexpected '" + text.charAt(pos) + "' at character " + (pos + 1)
                        + "; filters are separated by ',' and chains by ';'");
            }
            pos++;
        }
    }

    private void chain() {
        while (true) {
            filter();
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else {
                return;
            }
        }
    }

    private void filter() {
        labels();
        skipWhitespace();
        int start = pos;
        String name = token("=,;[");
        if (name.isEmpty()) {
            throw error("expected a filter name at character " + (start + 1));
        }
        int at = name.indexOf('@');
        String filter = at < 0 ? name : name.substring(0, at);
        if (!FfmpegFilters.isAllowed(filter)) {
            throw error("unknown filter '" + excerpt(filter) + "'; the ffmpeg stage takes FFmpeg's video filters "
                    + "(e.g. hqdn3d, eq, hflip, scale), except those that reach files, devices or the network");
        }
        if (at >= 0 && at == name.length() - 1) {
            throw error("filter '" + filter + "' has an empty instance name after '@'");
        }
        if (pos < text.length() && text.charAt(pos) == '=') {
            pos++;
            options(filter, token("[],;"));
        }
        labels();
    }

    /** Link labels {@code [name]}, as many as there are. */
    private void labels() {
        skipWhitespace();
        while (pos < text.length() && text.charAt(pos) == '[') {
            int end = text.indexOf(']', pos + 1);
            if (end < 0) {
                throw error("link label opened at character " + (pos + 1) + " is not closed with ']'");
            }
            if (text.substring(pos + 1, end).isBlank()) {
                throw error("empty link label '[]' at character " + (pos + 1));
            }
            pos = end + 1;
            skipWhitespace();
        }
    }

    /** The option list {@code key=value:key=value} (or positional values); refuses options that name a file. */
    private void options(String filter, String args) {
        for (String option : split(args, ':')) {
            int eq = unescapedIndex(option, '=');
            if (eq > 0) {
                String key = option.substring(0, eq).strip();
                if (FfmpegFilters.isRefusedOption(key)) {
                    throw error("option '" + excerpt(key) + "' of filter '" + filter
                            + "' is not allowed: a graph may not name files");
                }
            }
        }
    }

    /**
     * Reads up to the first unquoted, unescaped character of {@code terminators}, as libavfilter's
     * {@code av_get_token}: {@code '...'} is taken literally, {@code \} escapes the next character.
     */
    private String token(String terminators) {
        skipWhitespace();
        StringBuilder out = new StringBuilder();
        while (pos < text.length() && terminators.indexOf(text.charAt(pos)) < 0) {
            char c = text.charAt(pos++);
            if (c == '\\') {
                if (pos == text.length()) {
                    throw error("the graph ends with a lone '\\'");
                }
                out.append(c).append(text.charAt(pos++));
            } else if (c == '\'') {
                int close = text.indexOf('\'', pos);
                if (close < 0) {
                    throw error("quote opened at character " + pos + " is not closed");
                }
                out.append(c).append(text, pos, close + 1);
                pos = close + 1;
            } else {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    /** Splits on {@code separator} outside quotes and escapes. */
    private static java.util.List<String> split(String s, char separator) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int from = 0;
        for (int i = unescapedIndex(s, separator); i >= 0; i = unescapedIndex(s, separator, from)) {
            parts.add(s.substring(from, i));
            from = i + 1;
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static int unescapedIndex(String s, char c) {
        return unescapedIndex(s, c, 0);
    }

    private static int unescapedIndex(String s, char c, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char x = s.charAt(i);
            if (x == '\\') {
                i++;
            } else if (x == '\'') {
                quoted = !quoted;
            } else if (x == c && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private void skipWhitespace() {
        while (pos < text.length() && WHITESPACE.indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private SpecException error(String message) {
        return new SpecException(field, message);
    }

    private static String excerpt(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
