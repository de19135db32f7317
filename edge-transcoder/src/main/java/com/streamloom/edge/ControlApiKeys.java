package com.streamloom.edge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.agent.NodeCredential;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.node.PublishCheck;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the control API whether a key may publish ({@code POST /api/v1/nodes/{id}/publish-check}); the control API
 * also makes this edge the stream's node. Allowed answers are cached briefly so a reconnecting OBS is not slowed
 * down; when the control API cannot be reached, a key with no fresh cached answer is refused: fail closed, because
 * an outage must not open the door to unknown keys.
 */
final class ControlApiKeys implements KeyAuthorizer {
    static final Duration CACHE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private record Cached(Grant grant, long expiresAtMillis) {
    }

    private final URI uri;
    private final NodeCredential credential;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    ControlApiKeys(String controlUrl, String nodeId, NodeCredential credential, Clock clock) {
        this.uri = URI.create(controlUrl.replaceAll("/+$", "") + "/api/v1/nodes/" + nodeId + "/publish-check");
        this.credential = credential;
        this.clock = clock;
    }

    @Override
    public Grant authorize(PublishRequest request) throws PublishRejectedException {
        String hash = request.keyHash();
        PublishCheck.Response answer;
        try {
            byte[] body = JSON.writeValueAsBytes(new PublishCheck.Request(request.app(), request.streamKey()));
            // a refused credential is forgotten and enrolled again once; a second 401 counts as unreachable
            HttpResponse<byte[]> resp = credential.postJson(http, uri, body);
            if (resp.statusCode() >= 500 || resp.statusCode() == 401) {
                throw new java.io.IOException("control API answered " + resp.statusCode());
            }
            answer = resp.statusCode() == 200 ? JSON.readValue(resp.body(), PublishCheck.Response.class)
                    : new PublishCheck.Response(false, null, null, "invalid stream key");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishRejectedException("interrupted while checking the key");
        } catch (Exception e) {
            Cached c = cache.get(hash);
            if (c != null && c.expiresAtMillis() > clock.millis()) {
                return c.grant();
            }
            throw new PublishRejectedException("cannot verify the stream key right now (control API unreachable)");
        }
        if (!answer.allowed() || answer.spec() == null) {
            cache.remove(hash);
            throw new PublishRejectedException(answer.reason() == null ? "invalid stream key" : answer.reason());
        }
        Grant grant = new Grant(answer.streamId(), answer.spec().validated());
        cache.put(hash, new Cached(grant, clock.millis() + CACHE.toMillis()));
        return grant;
    }
}
