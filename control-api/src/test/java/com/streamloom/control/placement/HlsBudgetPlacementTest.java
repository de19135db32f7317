package com.streamloom.control.placement;

import com.streamloom.spec.EncodingSpec;
import com.streamloom.spec.OutputSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.NodeRole;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariant: placement counts each stream's HLS memory share, so a node whose HLS budget is full gets no new stream. */
class HlsBudgetPlacementTest {
    private static final long MIB = 1L << 20;
    private final CostModel costs = new CostModel(1280, 720, 30);

    private static StreamSpec stream(int kbps, double segmentSeconds, int window, String audio) {
        return new StreamSpec("s", null, null, new EncodingSpec(null, kbps, null, audio),
                new OutputSpec(segmentSeconds, window, List.of())).validated();
    }

    @Test
    void aStreamsShareIsItsBitrateOverTheSegmentsItsWindowKeeps() {
        // (4000 + 128 audio) kbit/s = 516 000 B/s, x 1.1 for MPEG-TS, x 2 s x (2 x 6 + 1) segments
        assertThat(costs.streamHlsBytes(stream(4000, 2, 6, "copy"))).isEqualTo(Math.round(516_000 * 1.1 * 2 * 13));
        // no audio, a longer window: more segments, the same bitrate per second
        assertThat(costs.streamHlsBytes(stream(4000, 2, 12, "none")))
                .isEqualTo(Math.round(500_000 * 1.1 * 2 * 25));
        assertThat(costs.streamHlsBytes(stream(8000, 2, 6, "copy")))
                .isGreaterThan(costs.streamHlsBytes(stream(4000, 2, 6, "copy")));
    }

    @Test
    void noStrategyPlacesOnANodeWhoseHlsBudgetIsFullThoughItsCapacityIsFree() {
        long share = costs.streamHlsBytes(stream(2000, 2, 6, "copy"));           // about 7.3 MiB
        for (String name : List.of("least-loaded", "round-robin", "consistent-hash")) {
            PlacementStrategy strategy = PlacementStrategy.named(name, 16);
            // "full": idle CPU but HLS memory used up to within less than one share; "roomy": busier, HLS free
            NodeSlot full = new NodeSlot("full", 1e9, 0, 100 * MIB, 100 * MIB - share + 1);
            NodeSlot roomy = new NodeSlot("roomy", 1e9, 5e8, 100 * MIB, 0);
            for (int i = 0; i < 5; i++) {
                Optional<NodeSlot> chosen = strategy.placeAll(
                        List.of(new PlacementRequest("s" + i, 1e6, share)), List.of(full, roomy)).get(0);
                assertThat(chosen).as(name).map(NodeSlot::nodeId).contains("roomy");
            }
            assertThat(roomy.hlsUsed()).as(name + ": each decision books its share").isEqualTo(5 * share);
        }
    }

    @Test
    void aBurstStopsAtTheHlsBudgetAndSaysSo() {
        long share = 30 * MIB;
        List<NodeSlot> nodes = List.of(new NodeSlot("a", 1e12, 0, 100 * MIB, 0),
                new NodeSlot("b", 1e12, 0, 100 * MIB, 50 * MIB));
        List<PlacementRequest> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            burst.add(new PlacementRequest("s" + i, 1, share));
        }
        List<Optional<NodeSlot>> placed = new LeastLoadedStrategy().placeAll(burst, nodes);
        assertThat(placed.stream().filter(Optional::isPresent).count()).as("3 fit on a, 1 on b").isEqualTo(4);
        assertThat(nodes).allSatisfy(n -> assertThat(n.hlsFree()).isLessThan(share));
        assertThat(PlacementService.noRoomReason(NodeRole.EDGE, nodes, burst.get(5)))
                .isEqualTo("no edge node has room in its HLS memory budget: needs 30 MiB, the most free on a node"
                        + " with the capacity is 20 MiB");
    }

    @Test
    void aNodeThatReportsNoHlsBudgetIsJudgedByCapacityAlone() {
        NodeSlot old = new NodeSlot("old", 100, 0);
        assertThat(old.fits(new PlacementRequest("s", 50, Long.MAX_VALUE / 2))).isTrue();
        assertThat(old.fits(new PlacementRequest("s", 150, 0))).isFalse();
    }
}
