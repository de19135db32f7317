package com.streamloom.node.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a representation of known length, from a {@code Range} header (RFC 9110 14.1.2):
 * {@code bytes=a-b}, {@code bytes=a-} and the suffix form {@code bytes=-n}. A header this server does not serve
 * ranges for (another unit, several ranges, bad syntax) is ignored and the whole body is sent, as RFC 9110 14.2
 * allows; a range that starts at or past the end is unsatisfiable (416, RFC 9110 15.5.17).
 *
 * @param first index of the first byte
 * @param last  index of the last byte, inclusive
 */
record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=[ \\t]*([0-9]{0,18})-([0-9]{0,18})[ \\t]*");

    /** What a Range header asks of a body of {@code length} bytes. */
    sealed interface Request permits Whole, Part, Unsatisfiable {
    }

    /** No range (or one that is ignored): the whole body, 200. */
    record Whole() implements Request {
    }

    /** A satisfiable range: 206 with Content-Range. */
    record Part(ByteRange range) implements Request {
    }

    /** 416 with {@code Content-Range: bytes *}{@code /length}. */
    record Unsatisfiable() implements Request {
    }

    static Request requested(String header, long length) {
        if (header == null) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new Whole();
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || length == 0) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(Math.max(0, length - suffix), length - 1));
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        if (last < first) {
            return new Whole(); // invalid syntax (RFC 9110 14.1.1): ignored
        }
        if (first >= length) {
            return new Unsatisfiable();
        }
        return new Part(new ByteRange(first, Math.min(last, length - 1)));
    }

    long length() {
        return last - first + 1;
    }

    /** The Content-Range value for a body of {@code total} bytes (RFC 9110 14.4). */
    String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    static String unsatisfied(long total) {
        return "bytes */" + total;
    }
}
