package com.streamloom.control;

import com.streamloom.control.cluster.NodeRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.streamloom.control.Api.beat;
import static com.streamloom.control.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebalancing on join, switched on: when an edge joins, pull streams move off an edge loaded above the threshold onto it;
 * push streams stay where their publisher is. Off, the default, is
 * {@code NodeApiTest#withoutRebalancingNothingMovesWhenANodeJoins}.
 */
@QuarkusTest
@TestProfile(RebalanceProfile.class)
class RebalanceOnJoinTest {
    @Inject
    MutableClock clock;
    @Inject
    NodeRegistry registry;

    @Test
    void pullStreamsMoveOffTheLoadedEdgeWhenAnEdgeJoinsAndPushStreamsStay() {
        TestCluster.reset(clock, registry);
        OverloadedEdge loaded = OverloadedEdge.create(19_121);

        String joined = unique("joined");
        beat(joined, "EDGE", 19_122, NodeApiTest.ROOMY);
        // 4 of 4 used is above 0.3: both pull streams move (then 2 of 4); the push streams would be needed to get
        // below 0.3, and they stay.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(OverloadedEdge.nodeOf(loaded.pending())).isEqualTo(joined);
            for (String pull : loaded.pulls()) {
                assertThat(OverloadedEdge.nodeOf(pull)).isEqualTo(joined);
            }
        });
        for (String push : loaded.pushes()) {
            assertThat(OverloadedEdge.nodeOf(push)).isEqualTo(loaded.nodeId());
        }
        assertThat(loaded.desired()).containsExactlyInAnyOrderElementsOf(loaded.pushes());
        assertThat(beat(joined, "EDGE", 19_122, NodeApiTest.ROOMY).getList("streams.id", String.class))
                .containsExactlyInAnyOrder(loaded.pulls().get(0), loaded.pulls().get(1), loaded.pending());
    }
}
