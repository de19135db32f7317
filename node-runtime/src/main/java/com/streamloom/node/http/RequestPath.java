package com.streamloom.node.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of a request URI split into percent-decoded segments, with everything that could escape a directory or
 * confuse a lookup rejected up front: "." and ".." segments (also encoded, %2e%2e), encoded slashes and backslashes,
 * control characters, empty segments, invalid escapes or UTF-8. Each segment is decoded on its own, after splitting,
 * so %2F can never create a new segment.
 */
record RequestPath(List<String> segments) {
    static final int MAX_SEGMENTS = 16;

    /** Parses the path of a request URI (the part before '?' or '#'); throws IllegalArgumentException if unsafe. */
    static RequestPath parse(String uri) {
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        String raw = uri.substring(0, end);
        if (!raw.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        List<String> segments = new ArrayList<>();
        if (raw.length() > 1) {
            for (String part : raw.substring(1).split("/", -1)) {
                if (segments.size() == MAX_SEGMENTS) {
                    throw new IllegalArgumentException("too many path segments");
                }
                segments.add(checked(decode(part)));
            }
        }
        return new RequestPath(List.copyOf(segments));
    }

    int size() {
        return segments.size();
    }

    String get(int index) {
        return segments.get(index);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments);
    }

    private static String checked(String segment) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("empty path segment");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("dot segment in path");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException("forbidden character in path");
            }
        }
        return segment;
    }

    /** RFC 3986 2.1 percent-decoding of one segment as strict UTF-8 ('+' stays '+': this is a path, not a form). */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= segment.length()) {
                throw new IllegalArgumentException("truncated percent escape");
            }
            int high = Character.digit(segment.charAt(i + 1), 16);
            int low = Character.digit(segment.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("invalid percent escape");
            }
            bytes.write((high << 4) | low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path is not UTF-8");
        }
    }
}
