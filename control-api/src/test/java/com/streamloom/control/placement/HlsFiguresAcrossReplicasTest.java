package com.streamloom.control.placement;

import com.streamloom.control.Api;
import com.streamloom.control.MutableClock;
import com.streamloom.control.TestCluster;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.spec.node.NodeRole;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Invariant: a node's reported HLS memory and budget reach the database, so a replica that loads them places by them. */
@QuarkusTest
class HlsFiguresAcrossReplicasTest {
    private static final long MIB = 1L << 20;

    @Inject
    NodeRegistry registry;
    @Inject
    PlacementService placement;
    @Inject
    MutableClock clock;

    @Test
    void aReplicaThatKnowsTheNodeFromTheDatabaseOnlyBooksAgainstItsHlsBudget() {
        TestCluster.reset(clock, registry);
        String edge = unique("hls-edge");
        Map<String, Object> heartbeat = Map.of("nodeId", edge, "role", "EDGE",
                "rtmpUrl", "rtmp://127.0.0.1:20201", "httpUrl", "http://127.0.0.1:19201", "capacity", 1e12,
                "load", Map.of("cpu", 0.0, "memoryBytes", 1000, "pipelines", List.of(),
                        "hlsMemoryBytes", 90 * MIB, "hlsMemoryBudgetBytes", 100 * MIB));
        Api.node(edge).body(heartbeat).post("/api/v1/nodes/" + edge + "/heartbeat").then().statusCode(200);
        registry.flush();

        // What another replica (or this one after a restart) knows: only what the database holds.
        clock.advance(Duration.ofMillis(500));
        registry.load();

        NodeState loaded = registry.get(edge).orElseThrow();
        assertThat(loaded.hlsMemoryBudgetBytes()).isEqualTo(100 * MIB);
        assertThat(loaded.hlsMemoryBytes()).isEqualTo(90 * MIB);
        admin().get("/api/v1/nodes/" + edge).then().statusCode(200)
                .body("hlsMemoryBudgetBytes", equalTo((int) (100 * MIB)))
                .body("hlsMemoryBytes", equalTo((int) (90 * MIB)));

        NodeSlot slot = placement.slots(NodeRole.EDGE, Map.of(), Map.of()).stream()
                .filter(s -> s.nodeId().equals(edge)).findFirst().orElseThrow();
        assertThat(slot.hlsUsed()).isEqualTo(90 * MIB);
        assertThat(slot.hlsFree()).isEqualTo(10 * MIB);
        PlacementRequest tooBig = new PlacementRequest("s", 1, 20 * MIB);
        assertThat(slot.fits(tooBig)).as("idle CPU, but the HLS budget is nearly full").isFalse();
        assertThat(slot.fits(new PlacementRequest("s", 1, 5 * MIB))).isTrue();
        assertThat(PlacementService.noRoomReason(NodeRole.EDGE, List.of(slot), tooBig))
                .isEqualTo("no edge node has room in its HLS memory budget: needs 20 MiB, the most free on a node"
                        + " with the capacity is 10 MiB");
    }
}
