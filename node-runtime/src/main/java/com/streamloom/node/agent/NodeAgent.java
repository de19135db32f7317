package com.streamloom.node.agent;

import com.streamloom.node.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.Heartbeat;
import com.streamloom.spec.node.NodeLoad;
import com.streamloom.spec.node.NodeRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The node side of "desired state, reconciled": every {@code interval} it sends a {@link Heartbeat} with the node's
 * load to the control API and hands the answer, the {@link DesiredState}, to the node's reconciler, which starts,
 * updates and stops pipelines until what runs equals what is desired. Failover, restarts and rebalancing are all
 * this one loop.
 *
 * <p>When the control API cannot be reached the node keeps running what it has (a control-plane outage must not
 * stop live video) and retries on the next tick; {@link #lastContactMillis()} tells for how long it has been alone.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    static final ObjectMapper JSON = Json.PROTOCOL;

    private final URI heartbeatUri;
    private final NodeCredential credential;
    private final String nodeId;
    private final NodeRole role;
    private final String rtmpUrl;
    private final String httpUrl;
    private final double capacity;
    private final Supplier<NodeLoad> load;
    private final Consumer<DesiredState> reconciler;
    private final Duration interval;
    private final Clock clock;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final AtomicLong lastContact = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile long appliedVersion = -1;
    private final java.util.concurrent.atomic.AtomicBoolean soonQueued = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param controlUrl base URL of the control API, e.g. http://127.0.0.1:8080
     * @param capacity   cost units per second this node can take (pixels/s x stage cost), see {@link ProcessLoad}
     * @param clock      tells when the control API last answered ({@link #lastContactMillis()})
     */
    public NodeAgent(String controlUrl, NodeCredential credential, String nodeId, NodeRole role, String rtmpUrl,
                     String httpUrl, double capacity, Duration interval, Supplier<NodeLoad> load,
                     Consumer<DesiredState> reconciler, Clock clock) {
        this.heartbeatUri = URI.create(stripSlash(controlUrl) + "/api/v1/nodes/" + nodeId + "/heartbeat");
        this.credential = credential;
        this.nodeId = nodeId;
        this.role = role;
        this.rtmpUrl = rtmpUrl;
        this.httpUrl = httpUrl;
        this.capacity = capacity;
        this.interval = interval;
        this.clock = clock;
        this.load = load;
        this.reconciler = reconciler;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-agent");
            t.setDaemon(true);
            return t;
        });
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::beatQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Heartbeats now instead of at the next tick: the control API calls this (through the node's HTTP API) right
     * after it changed this node's assignment, so a failover or a new stream does not wait up to a whole interval.
     * Calls that arrive while a heartbeat is already queued are folded into it.
     */
    public void beatSoon() {
        if (soonQueued.compareAndSet(false, true)) {
            timer.execute(() -> {
                soonQueued.set(false);
                beatQuietly();
            });
        }
    }

    private synchronized void beatQuietly() {
        try {
            beat();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!msg.equals(lastError.getAndSet(msg))) {
                log.warn("Heartbeat to {} failed ({}); keeping current pipelines and retrying", heartbeatUri, msg);
            }
        }
    }

    /**
     * One heartbeat and, if it succeeds, one reconciliation. A 401 means the control API no longer knows this node's
     * credential: it enrols again and retries once. Public for tests that drive the loop by hand.
     */
    public DesiredState beat() throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(new Heartbeat(nodeId, role, rtmpUrl, httpUrl, capacity, load.get()));
        HttpResponse<byte[]> resp = credential.postJson(http, heartbeatUri, body);
        if (resp.statusCode() != 200) {
            throw new IOException("control API answered " + resp.statusCode() + ": "
                    + new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        DesiredState desired = JSON.readValue(resp.body(), DesiredState.class);
        lastContact.set(clock.millis());
        if (lastError.getAndSet(null) != null) {
            log.info("Control API reachable again at {}", heartbeatUri);
        }
        reconciler.accept(desired);
        appliedVersion = desired.version();
        return desired;
    }

    /** When the control API last answered a heartbeat (epoch milliseconds of the agent's clock); 0 before that. */
    public long lastContactMillis() {
        return lastContact.get();
    }

    public long appliedVersion() {
        return appliedVersion;
    }

    public String lastError() {
        return lastError.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
