package com.streamloom.compositor;

import com.streamloom.spec.node.DesiredState;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which token opens which input, in a cluster: the control API gives each composition input's forward token only to
 * the edge that feeds it, and this compositor only the token's SHA-256 ({@link DesiredState.CompositionAssignment}),
 * so a push is accepted only with the token of a composition here that has that input, and this node cannot mint
 * tokens for other inputs or compositors.
 */
final class InputTokens {
    /** Input stream name to the SHA-256 digests of the tokens that may feed it. */
    private final Map<String, List<byte[]>> digestsByInput;

    private InputTokens(Map<String, List<byte[]>> digestsByInput) {
        this.digestsByInput = digestsByInput;
    }

    static InputTokens of(List<DesiredState.CompositionAssignment> assignments) {
        Map<String, Set<String>> hex = new HashMap<>();
        for (DesiredState.CompositionAssignment a : assignments) {
            a.inputTokenSha256().forEach((input, digest) -> hex.computeIfAbsent(input, k -> new HashSet<>())
                    .add(digest.toLowerCase(java.util.Locale.ROOT)));
        }
        Map<String, List<byte[]>> digests = new HashMap<>();
        hex.forEach((input, set) -> digests.put(input, set.stream().map(InputTokens::parseHex).toList()));
        return new InputTokens(Map.copyOf(digests));
    }

    /** Whether {@code token} opens input {@code stream}; compared in constant time per candidate. */
    boolean opens(String stream, String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] presented = sha256(token);
        boolean match = false;
        for (byte[] digest : digestsByInput.getOrDefault(stream, List.of())) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

    private static byte[] parseHex(String hex) {
        try {
            return java.util.HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return new byte[0];   // matches no token
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
