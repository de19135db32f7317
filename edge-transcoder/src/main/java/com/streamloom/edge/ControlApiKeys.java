package com.streamloom.edge;

import com.streamloom.node.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.node.agent.NodeCredential;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.node.PublishCheck;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Asks the control API whether a key may publish ({@code POST /api/v1/nodes/{id}/publish-check}); the control API
 * also makes this edge the stream's node. Allowed answers are cached briefly (by the key's full SHA-256) so a
 * reconnecting OBS is not slowed down; when the control API cannot be reached or does not answer within
 * {@link PublishGuardSettings#keyCheckTimeout()}, a key with no fresh cached answer is refused: fail closed,
 * because an outage must not open the door to unknown keys.
 *
 * <p>The check runs on threads of its own, never on an RTMP event loop, so a slow control API (or a first
 * enrolment) holds no other connection; at most {@link PublishGuardSettings#maxPendingKeyChecks()} checks are in
 * flight, further ones are refused at once. It calls as this node, with the node's own credential
 * ({@link NodeCredential}: enrolled again once if the control API refuses it).
 */
final class ControlApiKeys implements KeyAuthorizer {
    static final Duration CACHE = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = Json.PROTOCOL;
    /** The protocol the edge took the publish on, as the publish hook is told it. */
    static final String PROTOCOL = "rtmp";

    private record Cached(Grant grant, long expiresAtMillis) {
    }

    private final URI uri;
    private final NodeCredential credential;
    private final Clock clock;
    private final Duration timeout;
    private final Semaphore inFlight;
    private final HttpClient http;
    /** Bounded by {@link #inFlight}: a thread per check in flight, gone when idle. */
    private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "publish-check");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    ControlApiKeys(String controlUrl, String nodeId, NodeCredential credential, Clock clock,
                   PublishGuardSettings settings) {
        this.uri = URI.create(controlUrl.replaceAll("/+$", "") + "/api/v1/nodes/" + nodeId + "/publish-check");
        this.credential = credential;
        this.clock = clock;
        this.timeout = settings.keyCheckTimeout();
        this.inFlight = new Semaphore(settings.maxPendingKeyChecks());
        Duration connect = timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT;
        this.http = HttpClient.newBuilder().connectTimeout(connect).build();
    }

    @Override
    public CompletableFuture<Grant> authorize(PublishRequest request) {
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(PublishRejectedException.unavailable(
                    "too many stream key checks in progress; try again in a few seconds"));
        }
        String hash = request.keyHash();
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            byte[] body = JSON.writeValueAsBytes(new PublishCheck.Request(request.app(), request.streamKey(),
                    clientAddress(request), PROTOCOL));
            sent = CompletableFuture.supplyAsync(() -> post(body), checks);
        } catch (IOException | RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // The slot is free once the call itself has ended, so no more than the limit of threads ever wait on it.
        sent.whenComplete((resp, failure) -> inFlight.release());
        return sent.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((resp, failure) -> decide(hash, resp, failure));
    }

    /** The publisher's IP address for the control API's publish hook; null when the connection has none. */
    static String clientAddress(PublishRequest request) {
        return request.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
    }

    private HttpResponse<byte[]> post(byte[] body) {
        try {
            return credential.postJson(http, uri, body);
        } catch (IOException e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private Grant decide(String hash, HttpResponse<byte[]> resp, Throwable failure) {
        PublishCheck.Response answer = null;
        if (failure == null && resp.statusCode() == 200) {
            try {
                answer = JSON.readValue(resp.body(), PublishCheck.Response.class);
            } catch (IOException e) {
                answer = null; // an unreadable answer is no answer
            }
        } else if (failure == null && resp.statusCode() < 500 && resp.statusCode() != 401) {
            // 401 even after enrolling again: this node cannot ask, which says nothing about the key
            answer = new PublishCheck.Response(false, null, null, "invalid stream key");
        }
        if (answer == null) {
            Cached c = cache.get(hash);
            if (c != null && c.expiresAtMillis() > clock.millis()) {
                return c.grant();
            }
            throw new CompletionException(PublishRejectedException.unavailable(
                    "cannot verify the stream key right now (control API unreachable or too slow)"));
        }
        if (!answer.allowed() || answer.spec() == null) {
            cache.remove(hash);
            throw new CompletionException(new PublishRejectedException(
                    answer.reason() == null ? "invalid stream key" : answer.reason()));
        }
        Grant grant = new Grant(answer.streamId(), answer.spec().validated());
        cache.put(hash, new Cached(grant, clock.millis() + CACHE.toMillis()));
        return grant;
    }
}
