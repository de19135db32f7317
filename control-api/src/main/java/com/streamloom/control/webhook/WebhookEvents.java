package com.streamloom.control.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.ControlConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events webhooks may ask for, and where they are noted: {@link #note} only queues (a heartbeat never waits for
 * the database); one thread writes the queue into the outbox ({@link WebhookStore#enqueue}). The queue is bounded by
 * {@code streamloom.webhooks.event-backlog}; beyond it events are dropped and counted with a warning.
 */
@ApplicationScoped
public class WebhookEvents {
    private static final Logger LOG = Logger.getLogger(WebhookEvents.class);
    public static final String STREAM_PUBLISHED = "stream.published";
    public static final String STREAM_UNPUBLISHED = "stream.unpublished";
    public static final String STREAM_FAILED = "stream.failed";
    public static final String NODE_DOWN = "node.down";
    /** Accepted in subscriptions; nothing emits it yet (the control API does not learn of finished recordings). */
    public static final String RECORDING_READY = "recording.ready";
    public static final Set<String> ALL = Set.of(STREAM_PUBLISHED, STREAM_UNPUBLISHED, STREAM_FAILED, NODE_DOWN,
            RECORDING_READY);

    private record Noted(String event, String key, String body, long at) {
    }

    @Inject
    WebhookStore store;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;
    @Inject
    ControlConfig config;

    private BlockingQueue<Noted> backlog;
    private final AtomicLong dropped = new AtomicLong();
    private Thread writer;

    void start(@Observes StartupEvent event) {
        backlog = new ArrayBlockingQueue<>(Math.max(1, config.webhooks().eventBacklog()));
        writer = new Thread(this::writeLoop, "webhook-events");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (writer != null) {
            writer.interrupt();
        }
    }

    /**
     * Notes an event for the webhooks that want it. {@code key} identifies the event itself (every replica that sees
     * it derives the same key), so it is delivered once; the body carries an id derived from it.
     */
    public void note(String event, String key, Map<String, Object> data) {
        if (backlog == null) {
            return;
        }
        long now = clock.millis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.nameUUIDFromBytes((event + "\n" + key).getBytes(StandardCharsets.UTF_8)).toString());
        body.put("type", event);
        body.put("createdAt", Instant.ofEpochMilli(now).toString());
        body.put("data", data);
        try {
            if (!backlog.offer(new Noted(event, event + ":" + key, json.writeValueAsString(body), now))) {
                long n = dropped.incrementAndGet();
                LOG.warnf("webhook event backlog full (streamloom.webhooks.event-backlog): %s dropped (%d so far)",
                        event, n);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event body is plain JSON", e);
        }
    }

    private void writeLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            Noted n;
            try {
                n = backlog.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (n == null) {
                continue;
            }
            try {
                store.enqueue(n.event(), n.key(), n.body(), n.at());
            } catch (RuntimeException e) {
                LOG.warnf("webhook event %s not stored (database away?): %s", n.event(), e.toString());
            }
        }
    }
}
