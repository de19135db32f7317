package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The benchmark's application: its own H2 file, and no control tick, so the benchmark itself calls placement and
 * times it; quiet logs (10,000 creations would otherwise log 10,000 lines).
 */
public class BenchProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:h2:file:./target/bench-h2/control;DB_CLOSE_ON_EXIT=FALSE",
                "streamloom.tick", "1h",
                "quarkus.log.category.\"com.streamloom\".level", "WARN",
                "quarkus.log.category.\"com.streamloom.control.placement\".level", "INFO");
    }
}
