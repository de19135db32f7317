package com.streamloom.media.node;

import com.streamloom.media.http.ApiException;
import com.streamloom.media.http.ApiRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks of the node token ({@link NodeConfig#nodeToken()}), the shared secret between the control API and its
 * nodes. When no token is configured every check passes (a standalone node on a trusted host). Comparisons are in
 * constant time, so response timing does not reveal how much of a guess was right.
 */
public final class NodeToken {
    private final String token;

    /** @param token the configured node token, or null for none */
    public NodeToken(String token) {
        this.token = token;
    }

    public boolean configured() {
        return token != null;
    }

    /** Whether {@code given} is the node token (always true when none is configured). */
    public boolean matches(String given) {
        if (token == null) {
            return true;
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** Refuses a node API request without {@code Authorization: Bearer <nodeToken>}: 401 if absent, 403 if wrong. */
    public void requireBearer(ApiRequest req) {
        if (token == null) {
            return;
        }
        String auth = req.headers().get("Authorization");
        String given = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        if (!matches(given)) {
            throw new ApiException(auth == null ? 401 : 403, "a valid node token is required");
        }
    }
}
