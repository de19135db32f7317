package com.streamloom.control.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.ControlConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The optional publish hook ({@code streamloom.publish-hook.url}): before a publish is accepted, the control API posts
 * {@code {"stream", "clientAddress", "protocol"}} to it. A 2xx allows; any other status, an error, or no answer within
 * {@code streamloom.publish-hook.timeout} refuses: fail closed, an unreachable hook must not open the door. Answers,
 * both kinds, are reused for {@code cache-ttl} per (stream, client address, protocol). The URL passes the outbound
 * rules at start and its addresses before each call; redirects are not followed.
 */
@ApplicationScoped
public class PublishHook {
    private static final Logger LOG = Logger.getLogger(PublishHook.class);

    private record Answer(Optional<String> refusal, long expiresAt) {
    }

    @Inject
    ControlConfig config;
    @Inject
    OutboundHosts outbound;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    private URI uri;
    private HttpClient http;
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        Optional<String> url = config.publishHook().url().map(String::strip).filter(u -> !u.isEmpty());
        if (url.isEmpty()) {
            return;
        }
        try {
            outbound.checkHttpUrl("streamloom.publish-hook.url", url.get());
        } catch (RuntimeException e) {
            throw new IllegalStateException("streamloom.publish-hook.url is refused: " + e.getMessage(), e);
        }
        uri = URI.create(url.get());
        http = HttpClient.newBuilder().connectTimeout(config.publishHook().timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public boolean enabled() {
        return uri != null;
    }

    /** Empty when the hook allows the publish (or no hook is set); otherwise why it is refused. */
    public Optional<String> refusal(String stream, String clientAddress, String protocol) {
        if (uri == null) {
            return Optional.empty();
        }
        String key = stream + "\n" + clientAddress + "\n" + protocol;
        long now = clock.millis();
        Answer cached = cache.get(key);
        if (cached != null && cached.expiresAt() > now) {
            return cached.refusal();
        }
        Optional<String> refusal = ask(stream, clientAddress, protocol);
        if (cache.size() >= config.publishHook().cacheEntries()) {
            cache.clear();
        }
        cache.put(key, new Answer(refusal, now + config.publishHook().cacheTtl().toMillis()));
        return refusal;
    }

    private Optional<String> ask(String stream, String clientAddress, String protocol) {
        long timeout = config.publishHook().timeout().toMillis();
        CompletableFuture<HttpResponse<Void>> sent = null;
        try {
            outbound.checkResolved("streamloom.publish-hook.url", uri);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("stream", stream);
            body.put("clientAddress", clientAddress);
            body.put("protocol", protocol);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.publishHook().timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            int status = sent.get(timeout, TimeUnit.MILLISECONDS).statusCode();
            return status / 100 == 2 ? Optional.empty()
                    : Optional.of("refused by the publish hook (HTTP " + status + ")");
        } catch (TimeoutException e) {
            sent.cancel(true);
            return unavailable("no answer within " + timeout + " ms");
        } catch (ExecutionException e) {
            return unavailable(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        } catch (IOException | RuntimeException e) {
            return unavailable(e.toString());
        }
    }

    private static Optional<String> unavailable(String why) {
        LOG.warnf("publish hook unavailable, publish refused (fail closed): %s", why);
        return Optional.of("the publish hook did not answer; refused");
    }
}
