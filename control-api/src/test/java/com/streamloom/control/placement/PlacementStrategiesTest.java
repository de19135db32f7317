package com.streamloom.control.placement;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The three strategies, each on its own rule. */
class PlacementStrategiesTest {

    private static List<NodeSlot> nodes(double... capacities) {
        List<NodeSlot> out = new ArrayList<>();
        for (int i = 0; i < capacities.length; i++) {
            out.add(new NodeSlot("n" + i, capacities[i], 0));
        }
        return out;
    }

    @Test
    void leastLoadedSpreadsABurstByShareOfCapacity() {
        List<NodeSlot> nodes = nodes(100, 300);
        List<PlacementRequest> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(new PlacementRequest("s" + i, 10));
        }
        List<Optional<NodeSlot>> placed = new LeastLoadedStrategy().placeAll(burst, nodes);
        long onSmall = placed.stream().filter(p -> p.orElseThrow().nodeId().equals("n0")).count();
        // Shares stay level: 2 on the node of 100, 6 on the node of 300 (never all 8 on the idle-looking one).
        assertThat(onSmall).isEqualTo(2);
        assertThat(nodes.get(0).used()).isEqualTo(20);
        assertThat(nodes.get(1).used()).isEqualTo(60);
    }

    @Test
    void leastLoadedCountsLoadAlreadyOnTheNodes() {
        List<NodeSlot> nodes = List.of(new NodeSlot("busy", 100, 90), new NodeSlot("idle", 100, 10));
        assertThat(new LeastLoadedStrategy().choose(new PlacementRequest("s", 5), nodes)).map(NodeSlot::nodeId)
                .contains("idle");
    }

    @Test
    void noRoomAnywhereIsEmpty() {
        for (PlacementStrategy s : List.of(new LeastLoadedStrategy(), new RoundRobinStrategy(),
                new ConsistentHashStrategy(16))) {
            assertThat(s.choose(new PlacementRequest("s", 50), List.of(new NodeSlot("a", 40, 0),
                    new NodeSlot("b", 100, 60)))).as(s.name()).isEmpty();
            assertThat(s.choose(new PlacementRequest("s", 1), List.of())).as(s.name()).isEmpty();
        }
    }

    @Test
    void roundRobinTakesTurnsAndSkipsFullNodes() {
        RoundRobinStrategy rr = new RoundRobinStrategy();
        List<NodeSlot> nodes = List.of(new NodeSlot("a", 100, 0), new NodeSlot("b", 100, 95), new NodeSlot("c", 100, 0));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(rr.choose(new PlacementRequest("s" + i, 10), nodes).orElseThrow().nodeId());
        }
        assertThat(order).containsExactly("a", "c", "a", "c");
    }

    @Test
    void consistentHashIsStickyAndMovesFewKeysWhenANodeJoins() {
        ConsistentHashStrategy ch = new ConsistentHashStrategy(64);
        List<NodeSlot> three = nodes(1e9, 1e9, 1e9);
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            before.put("s" + i, ch.choose(new PlacementRequest("s" + i, 1), three).orElseThrow().nodeId());
        }
        // Same key, same node, whatever the order of calls.
        assertThat(ch.choose(new PlacementRequest("s7", 1), three).orElseThrow().nodeId()).isEqualTo(before.get("s7"));

        List<NodeSlot> four = nodes(1e9, 1e9, 1e9, 1e9);
        int moved = 0;
        for (int i = 0; i < 1000; i++) {
            String now = ch.choose(new PlacementRequest("s" + i, 1), four).orElseThrow().nodeId();
            if (!now.equals(before.get("s" + i))) {
                assertThat(now).isEqualTo("n3");
                moved++;
            }
        }
        // About a quarter of the keys move, all to the new node (a modulo hash would move about three quarters).
        assertThat(moved).isBetween(150, 350);
    }

    @Test
    void consistentHashFallsToTheNextNodeWhenTheOwnerIsFull() {
        ConsistentHashStrategy ch = new ConsistentHashStrategy(8);
        List<NodeSlot> nodes = nodes(100, 100);
        String owner = ch.choose(new PlacementRequest("k", 10), nodes).orElseThrow().nodeId();
        nodes.stream().filter(n -> n.nodeId().equals(owner)).findFirst().orElseThrow().take(95);
        assertThat(ch.choose(new PlacementRequest("k", 10), nodes).orElseThrow().nodeId()).isNotEqualTo(owner);
    }

    @Test
    void strategiesAreChosenByName() {
        assertThat(PlacementStrategy.named("least-loaded", 8)).isInstanceOf(LeastLoadedStrategy.class);
        assertThat(PlacementStrategy.named("consistent-hash", 8)).isInstanceOf(ConsistentHashStrategy.class);
        assertThat(PlacementStrategy.named("round-robin", 8)).isInstanceOf(RoundRobinStrategy.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlacementStrategy.named("random", 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("least-loaded");
    }
}
