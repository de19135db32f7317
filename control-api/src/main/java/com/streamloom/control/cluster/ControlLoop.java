package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.placement.PlacementService;
import com.streamloom.control.service.NodeCredentials;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The control API's clockwork: every tick each replica notices nodes that stopped heartbeating; the leader then
 * moves their work, rebalances onto joined nodes and places what is pending. With the default
 * 2 s heartbeat, 3 missed heartbeats and a 500 ms tick, a dead node's pull streams are placed again about 6.5 s
 * after its last heartbeat.
 *
 * <p>Both jobs run on threads of their own, at any period (Quarkus' scheduler runs nothing more often than once
 * a second), and stop before the application shuts down, so that no job meets a closing database.
 */
@ApplicationScoped
public class ControlLoop {
    private static final Logger LOG = Logger.getLogger(ControlLoop.class);

    @Inject
    NodeRegistry registry;
    @Inject
    AssignmentIndex index;
    @Inject
    PlacementService placement;
    @Inject
    Leadership leadership;
    @Inject
    ControlConfig config;
    @Inject
    NodePoker poker;
    @Inject
    PlaybackKeyRing playbackKeys;
    @Inject
    NodeCredentials credentials;
    @Inject
    StartFailures startFailures;
    @Inject
    com.streamloom.control.webhook.StreamTransitions transitions;

    private final Queue<String> joined = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService clock;
    private final java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();

    void start(@Observes StartupEvent event) {
        registry.load();
        playbackKeys.load();
        index.reload();
        credentials.reload();
        leadership.tryAcquireOrRenew();
        LOG.infof("loaded %d nodes, %d streams, %d compositions", registry.all().size(), index.streams().size(),
                index.compositions().size());
        clock = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "control-loop");
            t.setDaemon(true);
            return t;
        });
        long tick = config.tick().toMillis();
        clock.scheduleWithFixedDelay(() -> inRequestContext(this::tick), tick, tick, TimeUnit.MILLISECONDS);
        long flush = config.nodes().flushInterval().toMillis();
        clock.scheduleWithFixedDelay(() -> inRequestContext(this::sync), 1000, flush, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (clock != null) {
            clock.shutdown();
            try {
                if (!clock.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("the control loop did not finish its round within 5 s of shutdown");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            registry.flush();
        } finally {
            leadership.release();
        }
    }

    /** A node joined or came back: the next tick places pending work and, if configured, rebalances onto it. */
    public void nodeJoined(String nodeId) {
        joined.add(nodeId);
    }

    /** As a scheduled job: with a request context, for the data access it does outside transactions. */
    private static void inRequestContext(Runnable job) {
        ManagedContext requests = Arc.container().requestContext();
        requests.activate();
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.warn("control loop job failed", e);
        } finally {
            requests.terminate();
        }
    }

    /** How many control rounds ({@link #tick()}) have run since start. */
    public long rounds() {
        return rounds.get();
    }

    void tick() {
        rounds.incrementAndGet();
        try {
            java.util.List<NodeState> down = registry.detectDown();
            for (StartFailures.Verdict v = startFailures.poll(); v != null; v = startFailures.poll()) {
                if (placement.markFailed(v.streamId(), v.nodeId(), v.reason())) {
                    transitions.failed(v.streamId(), v.nodeId(), v.reason());
                }
            }
            if (!leadership.tryAcquireOrRenew()) {
                joined.clear();
                return;
            }
            // every replica detects a node going down; the leader alone tells the webhooks
            down.forEach(transitions::nodeDown);
            placement.evacuateDownNodes();
            placement.placePending();
            for (String id = joined.poll(); id != null; id = joined.poll()) {
                if (config.placement().rebalanceOnJoin()) {
                    placement.rebalanceOnto(id);
                }
            }
            poker.pokeChanged(registry.all());
        } catch (RuntimeException e) {
            // A failed tick (database briefly away) must not stop the loop: the next tick tries again.
            LOG.warn("control tick failed", e);
        }
    }

    void sync() {
        try {
            registry.flush();
            index.syncIfChanged();
            playbackKeys.refresh();
            // other replicas' enrolments and revocations
            credentials.reload();
        } catch (RuntimeException e) {
            LOG.warn("node flush or replica sync failed", e);
        }
    }
}
