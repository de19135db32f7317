package com.streamloom.node;

import com.streamloom.node.http.ApiException;
import com.streamloom.node.http.ApiRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks of the node token ({@link NodeConfig#nodeToken()}), the shared secret between the control API and its
 * nodes, which also guards the node's own write API. Without a configured token nothing matches: a node's write
 * API is never open (a standalone node started by {@link NodeLauncher} always has one, see
 * {@link NodeTokenFile}). Comparisons are in constant time, so response timing does not reveal how much of a guess
 * was right.
 *
 * <p>In a cluster the node token is the join token, which every node holds, so it opens no node's write API there:
 * the control API calls a node with a token for that node alone, of which the node knows only the SHA-256 from its
 * desired state ({@link #acceptControlCalls}).
 */
public final class NodeToken {
    private final String token;
    private final boolean cluster;
    private volatile byte[] controlTokenSha256;

    /** @param token the configured node token, or null for none (a standalone node's write API secret) */
    public NodeToken(String token) {
        this(token, false);
    }

    /**
     * @param token   the configured node token, or null for none
     * @param cluster whether the node runs under a control API: then only its calls open the write API
     */
    public NodeToken(String token, boolean cluster) {
        this.token = token;
        this.cluster = cluster;
    }

    /** The SHA-256 (hex) of the token the control API calls this node with, from the latest desired state. */
    public void acceptControlCalls(String sha256Hex) {
        controlTokenSha256 = sha256Hex == null ? null : HexFormat.of().parseHex(sha256Hex);
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
        if (cluster) {
            requireControlCall(auth);
            return;
        }
        if (token == null) {
            throw new ApiException(auth == null ? 401 : 403, "this node has no node token; its write API is closed");
        }
        String given = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        if (!matches(given)) {
            throw new ApiException(auth == null ? 401 : 403, "a valid node token is required");
        }
    }

    private void requireControlCall(String auth) {
        byte[] expected = controlTokenSha256;
        if (expected == null) {
            throw new ApiException(503, "this node has not yet heard from its control API; try again shortly");
        }
        String given = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
        if (given == null || !MessageDigest.isEqual(sha256(given), expected)) {
            throw new ApiException(auth == null ? 401 : 403, "only the control API may call this node's write API");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
