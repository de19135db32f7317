package com.streamloom.control.persistence;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database made by an earlier version keeps everything stored (nothing stored is lost): a V1 database
 * with streams and compositions, placed and pending, migrated to the current schema keeps every spec and key hash,
 * and each placement moves to the placements table with its node, state and reason; the node credential, cluster
 * key and playback key tables come empty (the control API makes the first playback key at start) and keep one
 * credential hash per node. Runs on H2 and on the real PostgreSQL server (database {@code test}, schema of its own).
 */
class MigrationsTest {
    @Test
    void upgradingAV1H2DatabaseKeepsSpecsKeysAndPlacements() throws SQLException {
        upgradeKeepsEverything("jdbc:h2:mem:migrations-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", null);
    }

    @Test
    void upgradingAV1PostgresDatabaseKeepsSpecsKeysAndPlacements() throws SQLException {
        String schema = "migrations_" + System.nanoTime();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL("jdbc:postgresql://127.0.0.1:5432/test");
        admin.setUser("postgres");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
            try {
                upgradeKeepsEverything("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema, "postgres", schema);
            } finally {
                s.execute("drop schema " + schema + " cascade");
            }
        }
    }

    private static void upgradeKeepsEverything(String url, String user, String schema) throws SQLException {
        // The drivers' own data sources, not DriverManager: Quarkus tests in the same JVM register drivers in
        // their own class loaders, where DriverManager would not find them for this class.
        DataSource ds;
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            ds = h2;
        } else {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            pg.setUser(user);
            ds = pg;
        }
        var config = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        if (schema != null) {
            config = config.schemas(schema);
        }
        config.target("1").load().migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into streams (id, name, spec_json, key_hash, assigned_node, state, pending_reason, version,"
                    + " created_at) values ('s1', 'cam1', '{\"name\":\"cam1\"}', 'hash1', 'edge-a', 'assigned', null, 3, 10),"
                    + " ('s2', 'cam2', '{\"name\":\"cam2\"}', 'hash2', null, 'pending', 'no edge has room', 1, 11)");
            s.execute("insert into compositions (id, name, spec_json, assigned_node, state, pending_reason, version,"
                    + " created_at) values ('c1', 'wall', '{\"name\":\"wall\"}', 'comp-a', 'assigned', null, 5, 12)");
        }
        Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .schemas(schema == null ? new String[0] : new String[]{schema}).load().migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(rows(s, "select id, name, spec_json, key_hash, version from streams order by id")).containsExactly(
                    "s1|cam1|{\"name\":\"cam1\"}|hash1|3", "s2|cam2|{\"name\":\"cam2\"}|hash2|1");
            assertThat(rows(s, "select id, name, spec_json, version from compositions")).containsExactly(
                    "c1|wall|{\"name\":\"wall\"}|5");
            assertThat(rows(s, "select id, assigned_node, state, pending_reason, version from placements order by id"))
                    .containsExactly("c1|comp-a|assigned|null|0", "s1|edge-a|assigned|null|0",
                            "s2|null|pending|no edge has room|0");
            assertThat(rows(s, "select count(*) from playback_keys")).containsExactly("0");
            s.execute("insert into playback_keys (id, secret, created_at, retired_at) values"
                    + " ('k1', 'Lw3Xq8Zr5Tn1Vb7Mc4Hs9Kd2Fg6Jy0Ep', 20, null), ('k0', 'old', 10, 20)");
            assertThat(rows(s, "select id, created_at, retired_at from playback_keys order by created_at desc"))
                    .containsExactly("k1|20|null", "k0|10|20");
            // Node credentials: one hash per node (unique), none while revoked.
            s.execute("insert into node_credentials (node_id, secret_sha256, issued_at, revoked_at) values "
                    + "('edge-a', 'h1', 1, null), ('edge-b', null, 2, 3), ('edge-c', null, 4, 5)");
            assertThat(rows(s, "select node_id, secret_sha256, revoked_at from node_credentials order by node_id"))
                    .containsExactly("edge-a|h1|null", "edge-b|null|3", "edge-c|null|5");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("insert into node_credentials "
                    + "(node_id, secret_sha256, issued_at) values ('edge-d', 'h1', 6)")).isInstanceOf(SQLException.class);
            s.execute("insert into cluster_keys (name, key_value, created_at) values ('forward', 'k', 7)");
            assertThat(rows(s, "select name, key_value from cluster_keys")).containsExactly("forward|k");
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
