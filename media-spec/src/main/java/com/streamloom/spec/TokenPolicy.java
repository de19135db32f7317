package com.streamloom.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a configured secret (a bearer token, a join token) must be before a process starts with it: not a
 * placeholder copied from an example, at least {@link #MIN_LENGTH} characters, and not of low entropy. A secret
 * that anyone can guess would leave the service open while looking closed, so start-up refuses it and names the
 * setting. Random values pass: {@code openssl rand -base64 32}, or 24 bytes of /dev/urandom in base64.
 */
public final class TokenPolicy {
    public static final int MIN_LENGTH = 24;
    /**
     * Least Shannon entropy of the characters, in bits per character, and least number of distinct characters.
     * Random hex of 32 characters (openssl rand -hex 16) stays above 2.8 bits and 9 distinct characters in
     * hundreds of thousands of draws, random base64 above 3.4 and 12; repeated words and patterns fall below
     * ("passwordpasswordpassword": 2.75 bits, 7 characters).
     */
    public static final double MIN_BITS_PER_CHAR = 2.5;
    public static final int MIN_DISTINCT_CHARS = 8;
    private static final List<String> PLACEHOLDERS = List.of("change-me", "changeme", "change_me", "replace-me",
            "replaceme", "placeholder", "your-token", "example");

    private TokenPolicy() {
    }

    /** Why {@code token} may not be used for {@code setting}, or empty when it may. Never repeats the token. */
    public static Optional<String> problem(String setting, String token) {
        if (token == null || token.isBlank()) {
            return Optional.of(setting + " is not set");
        }
        String lower = token.toLowerCase(Locale.ROOT);
        for (String placeholder : PLACEHOLDERS) {
            if (lower.contains(placeholder)) {
                return Optional.of(setting + " is a placeholder (contains \"" + placeholder
                        + "\"); set a random value, e.g. openssl rand -base64 32");
            }
        }
        if (token.length() < MIN_LENGTH) {
            return Optional.of(setting + " needs " + MIN_LENGTH + " characters or more (it has " + token.length()
                    + "); set a random value, e.g. openssl rand -base64 32");
        }
        if (bitsPerChar(token) < MIN_BITS_PER_CHAR || token.chars().distinct().count() < MIN_DISTINCT_CHARS) {
            return Optional.of(setting + " has too little entropy (repeated or predictable characters); set a "
                    + "random value, e.g. openssl rand -base64 32");
        }
        return Optional.empty();
    }

    /** Throws {@link IllegalStateException} with {@link #problem}'s message when the token may not be used. */
    public static void require(String setting, String token) {
        problem(setting, token).ifPresent(p -> {
            throw new IllegalStateException(p);
        });
    }

    /** Shannon entropy of the token's characters, bits per character. */
    static double bitsPerChar(String token) {
        Map<Integer, Integer> counts = new HashMap<>();
        token.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double n = token.codePointCount(0, token.length());
        double bits = 0;
        for (int count : counts.values()) {
            double p = count / n;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }
}
