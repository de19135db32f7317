package com.streamloom.control;

import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Moves the test clock so that every node heard from so far is declared down, giving a test a clean cluster. */
public final class TestCluster {
    private TestCluster() {
    }

    public static void expireAllNodes(MutableClock clock, NodeRegistry registry) {
        clock.advance(Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.all().stream().noneMatch(NodeState::up));
    }
}
