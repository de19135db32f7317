package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Rebalancing on join switched on, with a threshold an edge with only its push streams left stays above. */
public class RebalanceProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("streamloom.placement.rebalance-on-join", "true",
                "streamloom.placement.rebalance-threshold", "0.3");
    }
}
