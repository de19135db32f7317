package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.placement.PlacementService;
import com.streamloom.control.service.NodeCredentials;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The control API's clockwork: every tick each replica notices nodes that stopped heartbeating; the leader then
 * moves their work, rebalances onto joined nodes and places what is pending. With the default
 * 2 s heartbeat, 3 missed heartbeats and a 500 ms tick, a dead node's pull streams are placed again about 6.5 s
 * after its last heartbeat.
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

    private final Queue<String> joined = new ConcurrentLinkedQueue<>();

    void start(@Observes StartupEvent event) {
        registry.load();
        playbackKeys.load();
        index.reload();
        credentials.reload();
        leadership.tryAcquireOrRenew();
        LOG.infof("loaded %d nodes, %d streams, %d compositions", registry.all().size(), index.streams().size(),
                index.compositions().size());
    }

    void stop(@Observes ShutdownEvent event) {
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

    @Scheduled(every = "${streamloom.tick:500ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "${streamloom.tick:500ms}")
    void tick() {
        try {
            registry.detectDown();
            if (!leadership.tryAcquireOrRenew()) {
                joined.clear();
                return;
            }
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

    @Scheduled(every = "${streamloom.nodes.flush-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, delayed = "1s")
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
