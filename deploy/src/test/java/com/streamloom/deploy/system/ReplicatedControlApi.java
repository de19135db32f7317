package com.streamloom.deploy.system;

import com.streamloom.media.testing.Ports;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Control-API replicas as real processes (the packaged application built for PostgreSQL) on a database of their own
 * on the machine's PostgreSQL (127.0.0.1:5432, trust authentication, user postgres; override with
 * STREAMLOOM_TEST_PG_HOST / _PORT), behind a {@link FirstReplicaForwarder} that the nodes use as their one control
 * URL. The database is created at start and dropped at close; the shared server itself is never stopped.
 */
final class ReplicatedControlApi implements AutoCloseable {
    static final String PG_HOST = System.getenv().getOrDefault("STREAMLOOM_TEST_PG_HOST", "127.0.0.1");
    static final String PG_PORT = System.getenv().getOrDefault("STREAMLOOM_TEST_PG_PORT", "5432");

    private final String database = "sl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<NodeProcess> replicas = new ArrayList<>();
    private final List<ControlApiClient> clients = new ArrayList<>();
    private FirstReplicaForwarder forwarder;

    /** Creates the database and starts {@code count} replicas, waiting until each is ready. */
    static ReplicatedControlApi start(int count, Path dir, String adminToken, String joinToken) throws Exception {
        ReplicatedControlApi cluster = new ReplicatedControlApi();
        try {
            cluster.psql("create database " + cluster.database);
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int port = Ports.free();
                ports.add(port);
                String name = "control-api-" + (char) ('a' + i);
                Map<String, String> env = new HashMap<>(NodeProcess.controlApiEnv(dir.resolve(name), adminToken,
                        joinToken, port));
                String url = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + cluster.database + "?connectTimeout=3";
                // The pg profile reads STREAMLOOM_PG_*; QUARKUS_DATASOURCE_* serve a run under another profile.
                env.put("STREAMLOOM_PG_URL", url);
                env.put("STREAMLOOM_PG_USER", "postgres");
                env.put("QUARKUS_DATASOURCE_JDBC_URL", url);
                env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
                env.put("STREAMLOOM_LEADER_HOLDER_ID", name);
                cluster.replicas.add(NodeProcess.start(name, NodeProcess.CONTROL_API_POSTGRESQL_JAR, env, dir));
                cluster.clients.add(new ControlApiClient("http://127.0.0.1:" + port, adminToken));
            }
            for (int i = 0; i < count; i++) {
                NodeProcess replica = cluster.replicas.get(i);
                await(replica + " ready: " + replica.log()).atMost(Duration.ofSeconds(90)).until(cluster.clients.get(i)::ready);
            }
            cluster.forwarder = new FirstReplicaForwarder(ports);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    NodeProcess replica(int i) {
        return replicas.get(i);
    }

    /** A client that talks to replica {@code i} directly. */
    ControlApiClient client(int i) {
        return clients.get(i);
    }

    int size() {
        return replicas.size();
    }

    /** The one control URL the nodes get. */
    String controlUrl() {
        return forwarder.url();
    }

    /** Whether replica {@code i} holds the lease, as its metrics say (gauge streamloom_leader). */
    boolean leads(int i) {
        if (!replicas.get(i).isAlive()) {
            return false;
        }
        try {
            String metrics = clients.get(i).getText("/q/metrics");
            return metrics.lines().anyMatch(l -> l.startsWith("streamloom_leader") && l.trim().endsWith(" 1.0"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The index of the one replica that leads, or -1 while none or more than one does. */
    int leader() {
        int found = -1;
        for (int i = 0; i < replicas.size(); i++) {
            if (leads(i)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private void psql(String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("psql", "-h", PG_HOST, "-p", PG_PORT, "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                "-c", sql).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("psql " + sql + " failed (the system tests need PostgreSQL on " + PG_HOST + ":"
                    + PG_PORT + " with trust authentication for user postgres): " + out);
        }
    }

    @Override
    public void close() throws Exception {
        if (forwarder != null) {
            forwarder.close();
        }
        for (NodeProcess replica : replicas) {
            replica.close();
        }
        psql("drop database if exists " + database + " with (force)");
    }
}
