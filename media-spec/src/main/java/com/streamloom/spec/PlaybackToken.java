package com.streamloom.spec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * Playback tokens of signed outputs ({@code output.playback: signed}): {@code <expiry>.<signature>}, where expiry is
 * in epoch seconds and the signature is the unpadded base64url of HMAC-SHA256 (RFC 2104) keyed with the UTF-8 bytes
 * of a playback key over {@code <kind> "\n" <name> "\n" <expiry>} ({@code kind} is {@code stream} or
 * {@code composition}, so a stream's token never opens a composition of the same name). The control API signs;
 * edges and compositors verify without asking it, against every key they currently accept (the newest and, during
 * a rotation's grace period, the previous one). The token is URL-safe as it is ({@code ?token=} needs no escaping).
 *
 * <p>Without the control API (a standalone node), the part after the dot can be made with openssl from the same key:
 * {@code printf 'stream\n%s\n%s' NAME EXPIRY | openssl dgst -sha256 -hmac KEY -binary | basenc --base64url | tr -d '='}
 * ({@code PlaybackTokenTest} checks that this gives the same token).
 */
public final class PlaybackToken {
    /** Longest token read; anything longer is refused unread (an expiry of 12 digits, a dot, 43 characters). */
    public static final int MAX_LENGTH = 64;
    private static final int MAX_EXPIRY_DIGITS = 12;
    private static final int SIGNATURE_BYTES = 32;

    /** What a token may open: the HLS output of a stream (edges) or of a composition (compositors). */
    public enum Kind {
        STREAM("stream"), COMPOSITION("composition");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The outcome of {@link #check}; only {@link #VALID} opens the output. */
    public enum Verdict {
        VALID, MISSING, MALFORMED, EXPIRED, WRONG_SIGNATURE
    }

    private PlaybackToken() {
    }

    /** A token for {@code name} that stops working at {@code expiryEpochSeconds}, signed with {@code key}. */
    public static String sign(String key, Kind kind, String name, long expiryEpochSeconds) {
        if (expiryEpochSeconds <= 0 || Long.toString(expiryEpochSeconds).length() > MAX_EXPIRY_DIGITS) {
            throw new IllegalArgumentException("expiry must be a positive epoch second of at most "
                    + MAX_EXPIRY_DIGITS + " digits");
        }
        return expiryEpochSeconds + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac(key, kind, name, expiryEpochSeconds));
    }

    /**
     * Whether {@code token} opens {@code name} at {@code nowEpochSeconds} under one of {@code keys}. The signature is
     * compared in constant time ({@link MessageDigest#isEqual}), so response timing does not tell how much of a
     * forged signature was right. No key (a node that has not learnt one yet) opens nothing.
     */
    public static Verdict check(List<String> keys, Kind kind, String name, String token, long nowEpochSeconds) {
        if (token == null || token.isEmpty()) {
            return Verdict.MISSING;
        }
        int dot = token.indexOf('.');
        if (token.length() > MAX_LENGTH || dot < 1 || dot > MAX_EXPIRY_DIGITS) {
            return Verdict.MALFORMED;
        }
        long expiry = 0;
        for (int i = 0; i < dot; i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return Verdict.MALFORMED;
            }
            expiry = expiry * 10 + (c - '0');
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        if (given.length != SIGNATURE_BYTES) {
            return Verdict.MALFORMED;
        }
        if (expiry <= nowEpochSeconds) {
            return Verdict.EXPIRED;
        }
        boolean match = false;
        for (String key : keys) {
            // every key is tried, so the time taken does not depend on which one matched
            match |= MessageDigest.isEqual(given, mac(key, kind, name, expiry));
        }
        return match ? Verdict.VALID : Verdict.WRONG_SIGNATURE;
    }

    private static byte[] mac(String key, Kind kind, String name, long expiry) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a playback key is required");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal((kind.label + "\n" + name + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
