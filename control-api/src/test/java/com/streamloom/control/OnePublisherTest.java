package com.streamloom.control;

import com.streamloom.control.cluster.NodeRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same stream key published at two edges at once is granted to exactly one of them; the other is refused while
 * the first has the publisher, and may take the stream once the first reports it has none.
 */
@QuarkusTest
class OnePublisherTest {
    private static final double ROOMY = 1e14;

    @Inject
    MutableClock clock;
    @Inject
    NodeRegistry registry;

    @Test
    void twoEdgesAskingAtOnceGetOneGrant() throws Exception {
        TestCluster.expireAllNodes(clock, registry);
        String a = unique("pub-a");
        String b = unique("pub-b");
        beat(a, "EDGE", 19_601, ROOMY);
        beat(b, "EDGE", 19_602, ROOMY);
        JsonPath created = admin().body(Api.pushStream(unique("twice"))).post("/api/v1/streams").then()
                .statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        String key = created.getString("streamKey");

        // Both edges ask at the same moment.
        List<String> granted = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Boolean> atA = pool.submit(() -> {
                start.await();
                return publish(a, key);
            });
            Future<Boolean> atB = pool.submit(() -> {
                start.await();
                return publish(b, key);
            });
            start.countDown();
            if (atA.get(30, TimeUnit.SECONDS)) {
                granted.add(a);
            }
            if (atB.get(30, TimeUnit.SECONDS)) {
                granted.add(b);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted).hasSize(1);
        String winner = granted.get(0);
        String loser = winner.equals(a) ? b : a;
        int winnerPort = winner.equals(a) ? 19_601 : 19_602;
        int loserPort = winner.equals(a) ? 19_602 : 19_601;
        assertThat(nodeOf(id)).isEqualTo(winner);
        assertThat(beat(loser, "EDGE", loserPort, ROOMY).getList("streams.id", String.class)).doesNotContain(id);

        // The winner reports the stream live: past the grant hold, the loser is still refused. The clock moves a
        // second at a time with a report after each, so that the winner never looks like it missed its heartbeats,
        // however slowly this runs.
        for (int second = 0; second < 5; second++) {
            reporting(winner, winnerPort, id, "live");
            clock.advance(Duration.ofSeconds(1));
        }
        reporting(winner, winnerPort, id, "live");
        beat(loser, "EDGE", loserPort, ROOMY);
        assertThat(publish(loser, key)).isFalse();
        assertThat(nodeOf(id)).isEqualTo(winner);

        // The winner's publisher left (waiting): a publish at the other edge takes the stream.
        reporting(winner, winnerPort, id, "waiting");
        assertThat(publish(loser, key)).isTrue();
        assertThat(nodeOf(id)).isEqualTo(loser);
        assertThat(beat(winner, "EDGE", winnerPort, ROOMY).getList("streams.id", String.class)).doesNotContain(id);
    }

    private static boolean publish(String edge, String key) {
        return Api.node(edge).body(Map.of("app", "live", "streamKey", key))
                .post("/api/v1/nodes/" + edge + "/publish-check").then().statusCode(200).extract().path("allowed");
    }

    private static String nodeOf(String id) {
        return admin().get("/api/v1/streams/" + id).then().statusCode(200).extract().path("nodeId");
    }

    private static void reporting(String edge, int port, String streamId, String state) {
        Map<String, Object> hb = new HashMap<>(Api.heartbeat(edge, "EDGE", port, ROOMY));
        hb.put("load", Map.of("cpu", 0.0, "memoryBytes", 1000, "pipelines", List.of(Map.of("id", streamId,
                "kind", "stream", "state", state, "fps", 0, "latencyP99Ms", 0, "drops", 0))));
        Api.node(edge).body(hb).post("/api/v1/nodes/" + edge + "/heartbeat").then().statusCode(200);
    }
}
