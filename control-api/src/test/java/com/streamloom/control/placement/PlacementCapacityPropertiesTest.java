package com.streamloom.control.placement;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the nodes and the requests, no strategy books a node beyond its capacity, and a
 * request is refused only when no node had room for it at that moment.
 */
class PlacementCapacityPropertiesTest {

    @Property(tries = 300)
    void noNodeIsBookedBeyondItsCapacity(@ForAll("capacities") List<Double> capacities,
                                         @ForAll("costs") List<Double> costs,
                                         @ForAll("strategies") String strategyName) {
        PlacementStrategy strategy = PlacementStrategy.named(strategyName, 16);
        List<NodeSlot> nodes = new ArrayList<>();
        for (int i = 0; i < capacities.size(); i++) {
            nodes.add(new NodeSlot("n" + i, capacities.get(i), 0));
        }
        double[] booked = new double[nodes.size()];
        for (int r = 0; r < costs.size(); r++) {
            double cost = costs.get(r);
            boolean anyRoom = nodes.stream().anyMatch(n -> n.fits(cost));
            Optional<NodeSlot> chosen = strategy.placeAll(List.of(new PlacementRequest("s" + r, cost)), nodes).get(0);
            assertThat(chosen.isPresent()).isEqualTo(anyRoom);
            chosen.ifPresent(n -> booked[nodes.indexOf(n)] += cost);
        }
        for (int i = 0; i < nodes.size(); i++) {
            assertThat(booked[i]).isLessThanOrEqualTo(capacities.get(i));
            assertThat(nodes.get(i).used()).isEqualTo(booked[i]);
        }
    }

    @Provide
    Arbitrary<List<Double>> capacities() {
        return Arbitraries.doubles().between(1, 1000).list().ofMinSize(0).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Double>> costs() {
        return Arbitraries.doubles().between(0.5, 400).list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<String> strategies() {
        return Arbitraries.of("least-loaded", "consistent-hash", "round-robin");
    }
}
