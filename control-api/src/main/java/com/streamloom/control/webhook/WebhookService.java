package com.streamloom.control.webhook;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.api.ApiException;
import com.streamloom.control.service.OutboundHosts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers webhooks: an http(s) URL the outbound rules allow, events it wants (known names), and a secret that signs
 * its deliveries. The secret is write-only: kept to sign, never returned or logged.
 */
@ApplicationScoped
public class WebhookService {
    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;
    static final int MAX_DELIVERIES_LISTED = 1000;

    /** The body of {@code POST /api/v1/webhooks}. */
    public record Registration(String url, List<String> events, String secret) {
    }

    @Inject
    WebhookStore store;
    @Inject
    DeliveryOutbox outbox;
    @Inject
    OutboundHosts outbound;
    @Inject
    ControlConfig config;
    @Inject
    Clock clock;

    public WebhookStore.Webhook create(Registration r) {
        if (r == null) {
            throw ApiException.badRequest("body", "a JSON webhook {url, events, secret} is required");
        }
        outbound.checkHttpUrl("url", r.url());
        Set<String> events = events(r.events());
        if (r.secret() == null || r.secret().length() < MIN_SECRET || r.secret().length() > MAX_SECRET) {
            throw ApiException.badRequest("secret", "is required, " + MIN_SECRET + " to " + MAX_SECRET + " characters");
        }
        int max = config.webhooks().maxWebhooks();
        if (store.count() >= max) {
            throw ApiException.conflict("at most " + max + " webhooks (streamloom.webhooks.max-webhooks)");
        }
        WebhookStore.Webhook w = store.create(r.url(), events, r.secret(), clock.millis());
        LOG.infof("webhook %s created for %s", w.id(), String.join(",", events));
        return w;
    }

    public List<WebhookStore.Webhook> list() {
        return store.all();
    }

    public WebhookStore.Webhook get(String id) {
        return store.get(id).orElseThrow(() -> ApiException.notFound("webhook", id));
    }

    public void delete(String id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("webhook", id);
        }
        LOG.infof("webhook %s deleted", id);
    }

    public List<DeliveryOutbox.Delivery> deliveries(String id, Integer limit) {
        get(id);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_DELIVERIES_LISTED) {
            throw ApiException.badRequest("limit", "must be 1 to " + MAX_DELIVERIES_LISTED);
        }
        try {
            return outbox.deliveries(id, n);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the deliveries", e);
        }
    }

    private static Set<String> events(List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            throw ApiException.badRequest("events", "at least one of " + new TreeSet<>(WebhookEvents.ALL));
        }
        Set<String> events = new LinkedHashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            String e = asked.get(i);
            if (e == null || !WebhookEvents.ALL.contains(e)) {
                throw ApiException.badRequest("events[" + i + "]", "unknown event; known: "
                        + new TreeSet<>(WebhookEvents.ALL));
            }
            events.add(e);
        }
        return events;
    }
}
