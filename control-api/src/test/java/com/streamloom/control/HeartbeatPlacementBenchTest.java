package com.streamloom.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.persistence.StreamEntity;
import com.streamloom.control.placement.PlacementService;
import com.streamloom.control.service.StreamService;
import com.streamloom.spec.SourceSpec;
import com.streamloom.spec.StageSpec;
import com.streamloom.spec.StreamSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4 line 11, run with {@code ./mvnw -B -pl control-api -am test -Pbench}: 10,000 streams placed on 1,000
 * nodes by the real {@link PlacementService}, then 1,000 simulated nodes heartbeating over real HTTP (keep-alive,
 * a few connections, each answer carrying the node's assignments). Prints heartbeats per second, their p99, and the
 * placement time; fails if any node is assigned beyond its capacity or a heartbeat fails.
 */
@QuarkusTest
@TestProfile(BenchProfile.class)
@Tag("bench")
class HeartbeatPlacementBenchTest {
    static final int NODES = 1_000;
    static final int STREAMS = 10_000;
    static final int CONNECTIONS = 8;
    static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 15));
    /** One 1280x720 30 fps stream without stages, in cost units. */
    static final double STREAM_720P = 1280.0 * 720 * 30;

    @Inject
    StreamService streams;
    @Inject
    PlacementService placement;
    @Inject
    AssignmentIndex index;
    @Inject
    NodeRegistry registry;
    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;
    @TestHTTPResource("/")
    URL base;

    @Test
    void heartbeatsAndPlacement() throws Exception {
        // 1. 10,000 streams through the service, with no node yet: all pending.
        long t0 = System.nanoTime();
        for (int i = 0; i < STREAMS; i++) {
            List<StageSpec> stages = switch (i % 3) {
                case 0 -> List.of();
                case 1 -> List.of(new StageSpec("grayscale", Map.of()));
                default -> List.of(new StageSpec("gaussian-blur", Map.of("kernel", 9)));
            };
            streams.create(new StreamSpec("bench-" + i, new SourceSpec(SourceSpec.RTSP_PULL,
                    "rtsp://127.0.0.1:8554/cam" + i, null, null), stages, null, null));
        }
        System.out.printf("created %d streams in %d ms%n", STREAMS, ms(t0));

        // 2. 1,000 nodes register over HTTP (capacities 5 to 24 720p streams, about 14,500 in all).
        double[] capacity = new double[NODES];
        for (int i = 0; i < NODES; i++) {
            capacity[i] = (5 + i % 20) * STREAM_720P;
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, List<Map<String, Object>>> reports = new ConcurrentHashMap<>();
        runHeartbeats(http, capacity, reports, null, Duration.ZERO);

        // 3. Placement on the real code path, timed.
        long p0 = System.nanoTime();
        PlacementService.Result result = placement.placePending();
        long placeMs = ms(p0);
        System.out.printf("placed %d streams (%d still pending) on %d nodes with %s in %d ms (goal < 1000 ms)%n",
                result.placed(), result.stillPending(), NODES, placement.strategyName(), placeMs);
        assertThat(result.placed()).isEqualTo(STREAMS);

        // 4. Measured heartbeats: every answer now carries about 10 assignments.
        List<Long> latencies = new ArrayList<>();
        long h0 = System.nanoTime();
        int count = runHeartbeats(http, capacity, reports, latencies, MEASURE);
        double seconds = (System.nanoTime() - h0) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = sorted[sorted.length / 2] / 1e6;
        double p99 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        System.out.printf("heartbeats: %d in %.1f s = %.0f/s over %d connections, p50 %.2f ms, p99 %.2f ms "
                + "(goal >= 5000/s, p99 < 20 ms)%n", count, seconds, count / seconds, CONNECTIONS, p50, p99);

        // 5. No node beyond its capacity, in memory and in the database.
        Map<String, Double> booked = new HashMap<>();
        for (StreamView v : index.streams()) {
            if (v.assignedNode() != null) {
                booked.merge(v.assignedNode(), v.cost(), Double::sum);
            }
        }
        int over = 0;
        for (NodeState n : registry.all()) {
            if (booked.getOrDefault(n.id(), 0.0) > n.capacity()) {
                over++;
                System.out.printf("OVER CAPACITY: %s has %.0f of %.0f%n", n.id(), booked.get(n.id()), n.capacity());
            }
        }
        Map<String, Long> storedPerNode = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("from StreamEntity", StreamEntity.class)
                .getResultList().forEach(e -> storedPerNode.merge(String.valueOf(e.assignedNode), 1L, Long::sum)));
        assertThat(storedPerNode).doesNotContainKey("null");
        System.out.printf("nodes over capacity: %d; streams per node: %d to %d%n", over,
                storedPerNode.values().stream().mapToLong(Long::longValue).min().orElse(0),
                storedPerNode.values().stream().mapToLong(Long::longValue).max().orElse(0));
        assertThat(over).as("nodes assigned beyond capacity").isZero();
    }

    /**
     * Sends heartbeats for all nodes round after round on {@link #CONNECTIONS} threads; one round when
     * {@code duration} is zero, else until it has passed. Returns how many were sent.
     */
    private int runHeartbeats(HttpClient http, double[] capacity, Map<String, List<Map<String, Object>>> reports,
                              List<Long> latencies, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        AtomicInteger sent = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < CONNECTIONS; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                do {
                    for (int i = first; i < NODES; i += CONNECTIONS) {
                        String id = "bench-node-" + i;
                        byte[] body = json.writeValueAsBytes(Map.of("nodeId", id, "role", "EDGE",
                                "rtmpUrl", "rtmp://127.0.1." + (i % 250) + ":1935",
                                "httpUrl", "http://127.0.1." + (i % 250) + ":8081", "capacity", capacity[i],
                                "load", Map.of("cpu", 0.05, "memoryBytes", 1L << 30,
                                        "pipelines", reports.getOrDefault(id, List.of()))));
                        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "api/v1/nodes/" + id + "/heartbeat"))
                                .header("Authorization", "Bearer " + Api.NODE_TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        long s = System.nanoTime();
                        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - s;
                        if (resp.statusCode() != 200) {
                            throw new IllegalStateException("heartbeat answered " + resp.statusCode());
                        }
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = took;
                        sent.incrementAndGet();
                        reports.put(id, pipelinesFrom(json.readTree(resp.body())));
                    }
                } while (System.nanoTime() < end);
                return Arrays.copyOf(lat, n);
            }));
        }
        for (Future<long[]> f : futures) {
            long[] lat = f.get();
            if (latencies != null) {
                for (long l : lat) {
                    latencies.add(l);
                }
            }
        }
        pool.shutdown();
        return sent.get();
    }

    /** The node reports every assigned stream as live, as an agent would after reconciling. */
    private static List<Map<String, Object>> pipelinesFrom(JsonNode desired) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode s : desired.path("streams")) {
            out.add(Map.of("id", s.path("id").asText(), "kind", "stream", "state", "live", "fps", 30.0,
                    "latencyP99Ms", 18.0, "drops", 0));
        }
        return out;
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
