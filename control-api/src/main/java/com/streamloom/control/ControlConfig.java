package com.streamloom.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
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

    /**
     * The host people use to reach the nodes ({@code STREAMLOOM_PUBLIC_HOST}, e.g. a load balancer's DNS name, or
     * {@code localhost} in the one-command start). Every URL shown to people (ingest, playback) then carries it in
     * place of the host the node advertises to the cluster, with the node's own scheme and port. Unset: the
     * advertised host.
     */
    Optional<String> publicHost();

    /** Period of the control loop: failure detection, then (on the leader) re-placement and placement. */
    @WithDefault("500ms")
    Duration tick();

    Nodes nodes();

    Tls tls();

    Placement placement();

    Leader leader();

    Playback playback();

    Outbound outbound();

    Webhooks webhooks();

    PublishHook publishHook();

    /** Deliveries of webhooks ({@code POST /api/v1/webhooks}); only the leading replica sends them. */
    interface Webhooks {
        /** How long one delivery may take (connect, send, answer); longer is a failed attempt. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** Threads that send; each webhook has at most one delivery in flight, so a slow receiver holds one. */
        @WithDefault("4")
        int workers();

        /** Claimed deliveries waiting for a sender thread; the leader claims no more while this is full. */
        @WithDefault("64")
        int queue();

        /** How often the leader looks for due deliveries. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Wait before the first retry; it doubles with each failed attempt, with jitter, up to {@link #maxBackoff()}. */
        @WithDefault("10s")
        Duration initialBackoff();

        @WithDefault("1h")
        Duration maxBackoff();

        /** A delivery still failing this long after its event is given up. */
        @WithDefault("24h")
        Duration giveUpAfter();

        /** Attempts kept per webhook (the oldest are deleted, and finished deliveries left without attempts). */
        @WithDefault("1000")
        int keptAttempts();

        /** At most this many webhooks. */
        @WithDefault("100")
        int maxWebhooks();

        /** Events noted but not yet written to the outbox; beyond it events are dropped with a warning. */
        @WithDefault("10000")
        int eventBacklog();
    }

    /**
     * An external HTTP service asked before a publish is accepted ({@code POST} with the stream name, the client's
     * address and the protocol): a 2xx allows; anything else, an error or no answer within {@link #timeout()} refuses.
     */
    interface PublishHook {
        /** Empty or unset: no hook. Must pass the outbound rules ({@link Outbound}). */
        Optional<String> url();

        @WithDefault("2s")
        Duration timeout();

        /** How long an answer (allow or refuse) is reused for the same stream, client address and protocol. */
        @WithDefault("10s")
        Duration cacheTtl();

        /** Cached answers kept at most; the cache is emptied when full. */
        @WithDefault("10000")
        int cacheEntries();
    }

    /**
     * The hosts a spec may name as a pull source or forward target, checked as spelled (names and literal addresses)
     * before a spec is stored; the nodes check the resolved addresses again when they connect (their own
     * {@code specAccess.outboundAllow}/{@code outboundDeny}). The same entries as there: CIDR blocks, addresses, host
     * names (a name covers its subdomains).
     */
    interface Outbound {
        /** {@code STREAMLOOM_OUTBOUND_ALLOW}, comma-separated; unset: any host not denied. */
        Optional<List<String>> allow();

        /**
         * {@code STREAMLOOM_OUTBOUND_DENY}, comma-separated; unset: link-local and the cloud metadata addresses
         * ({@link com.streamloom.spec.HostRules#DEFAULT_DENY}); set, it replaces that list.
         */
        Optional<List<String>> deny();
    }
    /**
     * HTTPS from PEM files, off until both are set; {@link com.streamloom.control.tls.HttpsSettings} turns them into
     * Quarkus' TLS registry settings before the server starts (they are declared here so they are known names).
     */
    interface Tls {
        /** PEM certificate chain, e.g. a TLS Secret's tls.crt (STREAMLOOM_TLS_CERT_FILE). */
        Optional<String> certFile();

        /** PEM private key of it, PKCS#8 or PKCS#1, e.g. tls.key (STREAMLOOM_TLS_KEY_FILE). */
        Optional<String> keyFile();

        /** How often the files are reread, so a renewed certificate is served without a restart. */
        @WithDefault("1h")
        Duration reloadPeriod();
    }

    interface Nodes {
        /** How often agents heartbeat (every 2 s). */
        @WithDefault("2s")
        Duration heartbeatInterval();

        /** A node that misses this many heartbeats in a row is down. */
        @WithDefault("3")
        int missedHeartbeats();

        /**
         * How long a node known from before this control API started may take to report again before it is down:
         * after a restart of the whole system its nodes are still starting too, which is no failure.
         */
        @WithDefault("30s")
        Duration restartGrace();

        /** How often the in-memory node state (last seen, load) is written to the database. */
        @WithDefault("2s")
        Duration flushInterval();

        /**
         * After an edge was granted a stream's publish, how long a publish of the same key at another edge is refused
         * even before the first edge's heartbeat reports the stream live (two heartbeats by default).
         */
        @WithDefault("4s")
        Duration publishGrantHold();

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

        /**
         * A stream whose nodes reported it failed to start this many times (each a distinct failure: another node, or
         * the same node failing anew) is marked failed and stays where it is, instead of being moved from node to
         * node; its node keeps retrying it with back-off. A spec change or an explicit restart clears it.
         */
        @WithDefault("3")
        int maxStartFailures();
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

    /** Playback tokens of signed outputs ({@code output.playback: signed}) and the keys that sign them. */
    interface Playback {
        /** Lifetime of a token when the request does not give {@code ttlSeconds}. */
        @WithDefault("1h")
        Duration defaultTokenTtl();

        /** The longest lifetime a token may be given; more is refused (400). */
        @WithDefault("12h")
        Duration maxTokenTtl();

        /**
         * How long the previous key still verifies tokens after a rotation, so players holding a token signed with
         * it are not cut off; at least {@link #maxTokenTtl()} by default, so every token lives to its own expiry.
         */
        @WithDefault("12h")
        Duration keyGrace();

        /**
         * A new key signs tokens only once it is this old, so that every node has it first (replicas sync every 2 s,
         * nodes heartbeat every 2 s); until then the previous key signs.
         */
        @WithDefault("5s")
        Duration keyActivation();
    }
}
