package com.streamloom.control.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Stream keys: 24 random bytes from SecureRandom (192 bits) in base64url, so a key is URL and
 * RTMP-safe; only their SHA-256 is stored. A fast hash is enough here because the key has far more entropy than a
 * password, so it cannot be guessed from its hash.
 */
public final class StreamKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int KEY_BYTES = 24;

    private StreamKeys() {
    }

    public static String newKey() {
        byte[] b = new byte[KEY_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
