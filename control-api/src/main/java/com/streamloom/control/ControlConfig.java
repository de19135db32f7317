package com.streamloom.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** Everything the control API reads from configuration under {@code streamloom.} (env: STREAMLOOM_...). */
@ConfigMapping(prefix = "streamloom")
public interface ControlConfig {

    /** Bearer token of operators and the dashboard; required (no default outside %dev and %test). */
    String adminToken();

    /**
     * The cluster's join token ({@code streamloom.node-token}, env STREAMLOOM_NODE_TOKEN): a node shows it only to
     * enrol ({@code POST /api/v1/nodes/{id}/enrol}), which gives the node a credential of its own for its heartbeats
     * and publish-checks. Nodes also check it on the calls the control API makes to them (poke, captions).
     */
    @WithName("node-token")
    String joinToken();

    /**
     * Optional bearer token of the monitoring system: it may only read {@code GET /q/metrics}, so Prometheus need
     * not hold a token that can delete streams. Unset: only the admin token reads the metrics.
     */
    Optional<String> metricsToken();

    /** rtmp://host:1935/live that publishers use while a push stream has no edge yet. */
    String publicRtmpUrl();

    /** http://host:8081/hls, the HLS base used while a stream or composition has no node yet. */
    String publicHlsUrl();

    /** Period of the control loop: failure detection, then (on the leader) re-placement and placement. */
    @WithDefault("500ms")
    Duration tick();

    Nodes nodes();

    Placement placement();

    Leader leader();

    interface Nodes {
        /** How often agents heartbeat (issue 4 line 6: every 2 s). */
        @WithDefault("2s")
        Duration heartbeatInterval();

        /** A node that misses this many heartbeats in a row is down (issue 4 line 8). */
        @WithDefault("3")
        int missedHeartbeats();

        /** How often the in-memory node state (last seen, load) is written to the database. */
        @WithDefault("2s")
        Duration flushInterval();

        default Duration downAfter() {
            return heartbeatInterval().multipliedBy(missedHeartbeats());
        }
    }

    interface Placement {
        /** least-loaded | consistent-hash | round-robin */
        @WithDefault("least-loaded")
        String strategy();

        /** The cost model assumes this picture for a stream until its node reports one (pixels per second). */
        @WithDefault("1280")
        int assumedWidth();

        @WithDefault("720")
        int assumedHeight();

        @WithDefault("30")
        int assumedFps();

        /** Virtual nodes per node on the consistent-hashing ring. */
        @WithDefault("64")
        int virtualNodes();

        /** When a node joins, move pull streams off nodes loaded above {@link #rebalanceThreshold()}. */
        @WithDefault("false")
        boolean rebalanceOnJoin();

        @WithDefault("0.85")
        double rebalanceThreshold();
    }

    interface Leader {
        /** Name of the lease row this group of replicas competes for. */
        @WithDefault("control")
        String leaseName();

        /** A leader that has not renewed for this long loses the lease. */
        @WithDefault("5s")
        Duration leaseDuration();

        /** This replica's name in the lease row; a random one by default. */
        Optional<String> holderId();
    }
}
