package com.streamloom.control.webhook;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.cluster.Leadership;
import com.streamloom.control.cluster.StaleEpochException;
import com.streamloom.control.service.OutboundHosts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the outbox on the leading replica: every poll it claims due deliveries (fenced, {@link DeliveryOutbox}) and
 * hands them to a fixed pool of senders with a bounded queue. Each webhook has at most one delivery in flight, so a
 * slow or dead receiver holds one sender for at most the request timeout and delays no other webhook. A failed
 * attempt is retried with exponential back-off and jitter, capped, until the delivery is older than the give-up age.
 * Redirects are not followed and the host's addresses pass the outbound rules before each attempt.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** A claim outlives the request timeout by this much, so it never lapses while its attempt is still recorded. */
    private static final long CLAIM_MARGIN_MS = 30_000;

    @Inject
    ControlConfig config;
    @Inject
    Leadership leadership;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    OutboundHosts outbound;
    @Inject
    Clock clock;

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private ThreadPoolExecutor senders;
    private ScheduledExecutorService poller;
    private HttpClient http;

    void start(@Observes StartupEvent event) {
        ControlConfig.Webhooks c = config.webhooks();
        http = HttpClient.newBuilder().connectTimeout(c.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        senders = new ThreadPoolExecutor(c.workers(), c.workers(), 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(Math.max(1, c.queue())), daemon("webhook-sender"));
        poller = Executors.newSingleThreadScheduledExecutor(daemon("webhook-poller"));
        long poll = c.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollOnce, poll, poll, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
            senders.shutdownNow();
        }
    }

    /** Claims what is due and can be queued now; nothing when this replica does not lead. */
    void pollOnce() {
        if (!leadership.isLeader()) {
            return;
        }
        long now = clock.millis();
        long claimUntil = now + config.webhooks().requestTimeout().toMillis() + CLAIM_MARGIN_MS;
        try {
            for (DeliveryOutbox.Claimed d : outbox.claimDue(leadership.guard(), leadership.holder(), now, claimUntil,
                    senders.getQueue().remainingCapacity(), inFlight)) {
                inFlight.add(d.webhookId());
                senders.execute(() -> send(d));
            }
        } catch (StaleEpochException e) {
            LOG.debug("not the leader any more: the next leader sends the outbox");
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot read the webhook outbox", e);
        }
    }

    private void send(DeliveryOutbox.Claimed d) {
        try {
            DeliveryOutbox.Attempt a = attempt(d);
            boolean ok = a.statusCode() != null && a.statusCode() / 100 == 2;
            long next = 0;
            String state = DeliveryOutbox.DELIVERED;
            if (!ok) {
                long delay = backoff(d.attempts() + 1);
                next = clock.millis() + delay;
                boolean expired = next - d.createdAt() > config.webhooks().giveUpAfter().toMillis();
                state = expired ? DeliveryOutbox.GAVE_UP : DeliveryOutbox.PENDING;
                if (expired) {
                    LOG.warnf("webhook %s: gave up delivery %s (%s) after %d attempts", d.webhookId(), d.id(), d.event(),
                            d.attempts() + 1);
                }
            }
            outbox.recordAttempt(d, leadership.holder(), a, state, next, config.webhooks().keptAttempts());
        } catch (SQLException | RuntimeException e) {
            // the claim lapses and the delivery is tried again
            LOG.warnf("webhook %s: cannot record the attempt of delivery %s: %s", d.webhookId(), d.id(), e.toString());
        } finally {
            inFlight.remove(d.webhookId());
        }
    }

    private DeliveryOutbox.Attempt attempt(DeliveryOutbox.Claimed d) {
        long at = clock.millis();
        long started = System.nanoTime();
        long timeout = config.webhooks().requestTimeout().toMillis();
        java.util.concurrent.CompletableFuture<HttpResponse<Void>> sent = null;
        try {
            URI uri = URI.create(d.url());
            outbound.checkResolved("url", uri);
            byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.webhooks().requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "StreamLoom-Webhooks")
                    .header(WebhookSignature.HEADER, WebhookSignature.header(d.secret(), at / 1000, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            int status = sent.get(timeout, TimeUnit.MILLISECONDS).statusCode();
            return new DeliveryOutbox.Attempt(at, status, null, elapsed(started));
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new DeliveryOutbox.Attempt(at, null, "no answer within " + timeout + " ms", elapsed(started));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new DeliveryOutbox.Attempt(at, null, describe(cause), elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutbox.Attempt(at, null, "interrupted (shutting down)", elapsed(started));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return new DeliveryOutbox.Attempt(at, null, describe(e), elapsed(started));
        }
    }

    /** Exponential back-off for the n-th failed attempt, capped, with jitter: half the delay plus up to half again. */
    long backoff(int failedAttempts) {
        long initial = Math.max(1, config.webhooks().initialBackoff().toMillis());
        long max = Math.max(initial, config.webhooks().maxBackoff().toMillis());
        int shift = Math.min(failedAttempts - 1, 40);
        long delay = initial > (max >> shift) ? max : Math.min(max, initial << shift);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static long elapsed(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
