package com.streamloom.control.service;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.api.ApiException;
import com.streamloom.control.cluster.CompositionView;
import com.streamloom.control.cluster.PlaybackKeyRing;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.spec.OutputSpec;
import com.streamloom.spec.PlaybackToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;

/**
 * Playback tokens for signed outputs: signed here with the cluster's playback key ({@link PlaybackKeyRing}) and
 * checked by the node serving the output without asking back. The answer holds the token, its expiry and the
 * playback URL with the token on it, ready for a player.
 */
@ApplicationScoped
public class PlaybackTokens {
    @Inject
    PlaybackKeyRing keys;
    @Inject
    ControlConfig config;
    @Inject
    Clock clock;
    @Inject
    PublicUrls urls;

    /** A token, when it stops working, and where to play with it; {@code playback} is the output's mode. */
    public record Issued(String token, Instant expiresAt, String playbackUrl, String playback) {
    }

    public Issued forStream(StreamView stream, Long ttlSeconds) {
        return issue(PlaybackToken.Kind.STREAM, stream.name(), stream.spec().output(), stream.assignedNode(),
                ttlSeconds);
    }

    public Issued forComposition(CompositionView composition, Long ttlSeconds) {
        return issue(PlaybackToken.Kind.COMPOSITION, composition.name(), composition.spec().output(),
                composition.assignedNode(), ttlSeconds);
    }

    private Issued issue(PlaybackToken.Kind kind, String name, OutputSpec output, String node, Long ttlSeconds) {
        long max = config.playback().maxTokenTtl().toSeconds();
        long ttl = ttlSeconds == null ? Math.min(config.playback().defaultTokenTtl().toSeconds(), max) : ttlSeconds;
        if (ttl < 1 || ttl > max) {
            throw ApiException.badRequest("ttlSeconds", "must be between 1 and " + max
                    + " (streamloom.playback.max-token-ttl)");
        }
        Instant expiresAt = Instant.ofEpochSecond(clock.instant().getEpochSecond() + ttl);
        String token = PlaybackToken.sign(keys.signingKey(), kind, name, expiresAt.getEpochSecond());
        String mode = output == null || output.playback() == null ? OutputSpec.PLAYBACK_PUBLIC : output.playback();
        return new Issued(token, expiresAt, urls.playbackUrl(node, name) + "?token=" + token, mode);
    }
}
