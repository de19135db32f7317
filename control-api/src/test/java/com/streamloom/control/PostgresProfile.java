package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The same application on the real PostgreSQL at 127.0.0.1:5432, database {@code test}, in a
 * schema of its own that Flyway empties at start, so runs do not see each other's rows. Override the URL and user
 * with STREAMLOOM_TEST_PG_URL / STREAMLOOM_TEST_PG_USER.
 */
public class PostgresProfile implements QuarkusTestProfile {
    static final String SCHEMA = "streamloom_test";

    @Override
    public Map<String, String> getConfigOverrides() {
        String url = System.getenv().getOrDefault("STREAMLOOM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", url + "?currentSchema=" + SCHEMA,
                "quarkus.datasource.username", System.getenv().getOrDefault("STREAMLOOM_TEST_PG_USER", "postgres"),
                "quarkus.datasource.password", System.getenv().getOrDefault("STREAMLOOM_TEST_PG_PASSWORD", ""),
                "quarkus.flyway.schemas", SCHEMA,
                "quarkus.flyway.clean-at-start", "true");
    }
}
