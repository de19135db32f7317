package com.streamloom.control.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The meaning of a raw request path, read as generously as any router behind us could read it: matrix parameters
 * ({@code ;x}) cut from every segment, percent-escapes decoded once (an escaped {@code /} or {@code \} separates
 * segments), empty and {@code .} segments dropped, {@code ..} resolved, no trailing slash.
 * <p>
 * Access is decided on this form, and only a request whose raw path already <em>is</em> this form is routed
 * ({@link BearerAuth}): then the credential check and the router can never read two different paths out of one
 * spelling (RFC 3986 section 6 lists the spellings that mean one path: escapes, dot segments, case).
 */
public final class CanonicalPath {
    private CanonicalPath() {
    }

    /** The canonical form of {@code raw}, or empty when it cannot be read (no leading slash, a malformed escape). */
    public static Optional<String> of(String raw) {
        if (raw == null || !raw.startsWith("/")) {
            return Optional.empty();
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/", -1)) {
            int matrix = segment.indexOf(';');
            String plain = matrix >= 0 ? segment.substring(0, matrix) : segment;
            Optional<String> decoded = percentDecode(plain);
            if (decoded.isEmpty()) {
                return Optional.empty();
            }
            for (String part : decoded.get().split("[/\\\\]", -1)) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    segments.pollLast();
                } else {
                    segments.addLast(part);
                }
            }
        }
        return Optional.of("/" + String.join("/", segments));
    }

    /** Whether the raw path is spelled exactly as its canonical form (so routers read what the check read). */
    public static boolean isCanonical(String raw) {
        return of(raw).map(raw::equals).orElse(false);
    }

    /**
     * Whether a request for {@code raw}, whose canonical form is {@code canonical}, may be routed: spelled exactly
     * so, or as its directory form with one trailing slash (Swagger UI's and the static trees' own links use it;
     * a router reads {@code /a/} as {@code /a} or as nothing, never as another resource).
     */
    public static boolean isRoutable(String raw, String canonical) {
        return raw.equals(canonical) || raw.equals(canonical + "/");
    }

    /** Decodes {@code %XX} escapes as UTF-8; empty for a malformed escape, invalid UTF-8 or a control character. */
    static Optional<String> percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return hasControl(s) ? Optional.empty() : Optional.of(s);
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
            return hasControl(decoded) ? Optional.empty() : Optional.of(decoded);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
