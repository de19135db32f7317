package com.streamloom.media.node;

import com.streamloom.media.http.ApiException;
import com.streamloom.media.http.ApiRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks of the node token ({@link NodeConfig#nodeToken()}), the shared secret between the control API and its
 * nodes, which also guards the node's own write API. Without a configured token nothing matches: a node's write
 * API is never open (a standalone node started by {@link NodeLauncher} always has one, see
 * {@link NodeTokenFile}). Comparisons are in constant time, so response timing does not reveal how much of a guess
 * was right.
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

    /** Whether {@code given} is the node token (never when none is configured). */
    public boolean matches(String given) {
        return token != null && given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses a node API request without {@code Authorization: Bearer <nodeToken>}: 401 if absent, 403 if wrong or
     * if this node has no token at all.
     */
    public void requireBearer(ApiRequest req) {
        String auth = req.headers().get("Authorization");
        if (token == null) {
            throw new ApiException(auth == null ? 401 : 403, "this node has no node token; its write API is closed");
        }
        String given = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        if (!matches(given)) {
            throw new ApiException(auth == null ? 401 : 403, "a valid node token is required");
        }
    }
}
