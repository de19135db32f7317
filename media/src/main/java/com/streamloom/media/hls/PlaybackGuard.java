package com.streamloom.media.hls;

import com.streamloom.spec.PlaybackToken;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may watch a node's HLS outputs: every output is public unless its spec says {@code output.playback: signed};
 * a signed one opens only to a request carrying a valid {@link PlaybackToken} for its name, checked here without
 * asking the control API, against the keys this node accepts (from the heartbeat answer, or its config file when
 * standalone). No key yet means a signed output opens for nobody: closed rather than open.
 */
public final class PlaybackGuard {
    private final PlaybackToken.Kind kind;
    private final Clock clock;
    private final Set<String> signed = ConcurrentHashMap.newKeySet();
    private volatile List<String> keys = List.of();

    /** @param kind what this node's outputs are (edge: streams, compositor: compositions); tokens name it */
    public PlaybackGuard(PlaybackToken.Kind kind, Clock clock) {
        this.kind = kind;
        this.clock = clock;
    }

    /** Sets whether {@code name}'s output needs a token; call before its packager is served. */
    public void require(String name, boolean tokenRequired) {
        if (tokenRequired) {
            signed.add(name);
        } else {
            signed.remove(name);
        }
    }

    /** Replaces the accepted keys (the newest first); they are secrets and are never logged. */
    public void acceptKeys(List<String> accepted) {
        keys = accepted == null ? List.of() : List.copyOf(accepted);
    }

    public boolean requiresToken(String name) {
        return signed.contains(name);
    }

    /** Whether a request for {@code name}'s output with {@code token} (null when absent) may be answered. */
    public PlaybackToken.Verdict check(String name, String token) {
        if (!requiresToken(name)) {
            return PlaybackToken.Verdict.VALID;
        }
        return PlaybackToken.check(keys, kind, name, token, clock.instant().getEpochSecond());
    }
}
