package com.streamloom.control.cluster;

import com.streamloom.control.persistence.PlacementRepository;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One leader at a time on the database's clock, and a fencing epoch that refuses every placement write of a replica
 * that lost the lease; on H2 and on the real PostgreSQL server (database {@code test}, a schema of its own).
 */
class LeaseFencingTest {
    private static final Duration LEASE = Duration.ofSeconds(5);

    @Test
    void staleLeaderCannotWriteOnH2() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:lease-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        electAndFence(h2);
    }

    @Test
    void staleLeaderCannotWriteOnPostgres() throws SQLException {
        String schema = "lease_" + System.nanoTime();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL("jdbc:postgresql://127.0.0.1:5432/test");
        admin.setUser("postgres");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
            try {
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setURL("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
                pg.setUser("postgres");
                Flyway.configure().dataSource(pg).locations("classpath:db/migration").schemas(schema).load().migrate();
                electAndFence(pg);
            } finally {
                s.execute("drop schema " + schema + " cascade");
            }
        }
    }

    private static void electAndFence(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into placements (id, assigned_node, state, pending_reason, version)"
                    + " values ('s1', null, 'pending', 'no edge is up', 0)");
        }
        LeaseElector first = new LeaseElector(ds, "control", "replica-1", LEASE);
        LeaseElector second = new LeaseElector(ds, "control", "replica-2", LEASE);

        assertThat(first.tryAcquireOrRenew()).isTrue();
        long firstEpoch = first.epoch();
        assertThat(second.tryAcquireOrRenew()).isFalse();
        assertThat(second.epoch()).isEqualTo(-1);
        // Renewing keeps the epoch it won.
        assertThat(first.tryAcquireOrRenew()).isTrue();
        assertThat(first.epoch()).isEqualTo(firstEpoch);
        assertThat(guardedWrite(ds, first, "edge-a")).isEqualTo(1);
        assertThat(placement(ds)).isEqualTo("edge-a|assigned|1");

        // The first stops renewing (paused, not dead): once its lease ran out on the database's clock, the second
        // takes over with a higher epoch.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(second::tryAcquireOrRenew);
        assertThat(second.epoch()).isGreaterThan(firstEpoch);

        // The former leader still believes it leads, but its write with the stale epoch lands nowhere.
        assertThat(first.isLeader()).isTrue();
        assertThatThrownBy(() -> guardedWrite(ds, first, "edge-stale")).isInstanceOf(StaleEpochException.class);
        assertThat(placement(ds)).isEqualTo("edge-a|assigned|1");
        assertThat(first.isLeader()).isFalse();
        assertThat(first.tryAcquireOrRenew()).isFalse();

        assertThat(guardedWrite(ds, second, "edge-b")).isEqualTo(1);
        assertThat(placement(ds)).isEqualTo("edge-b|assigned|2");

        // An orderly stop hands over at once, and the epoch rises again.
        long secondEpoch = second.epoch();
        second.release();
        assertThat(first.tryAcquireOrRenew()).isTrue();
        assertThat(first.epoch()).isGreaterThan(secondEpoch);
        assertThatThrownBy(() -> guardedWrite(ds, second, "edge-stale")).isInstanceOf(StaleEpochException.class);
        assertThat(placement(ds)).isEqualTo("edge-b|assigned|2");

        // A leader that renews late: while its lease has lapsed its writes are refused; taking back its own lease
        // (nobody held it in between) keeps its epoch, so work fenced with that epoch goes on.
        first.release();
        LeaseElector late = new LeaseElector(ds, "control", "replica-3", Duration.ofMillis(300));
        assertThat(late.tryAcquireOrRenew()).isTrue();
        long lateEpoch = late.epoch();
        assertThat(lateEpoch).isGreaterThan(first.epoch());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> lapsed(ds));
        assertThatThrownBy(() -> guardedWrite(ds, late, "edge-lapsed")).isInstanceOf(StaleEpochException.class);
        assertThat(placement(ds)).isEqualTo("edge-b|assigned|2");
        assertThat(late.tryAcquireOrRenew()).isTrue();
        assertThat(late.epoch()).isEqualTo(lateEpoch);
        assertThat(guardedWrite(ds, late, "edge-c")).isEqualTo(1);
        assertThat(placement(ds)).isEqualTo("edge-c|assigned|3");
    }

    /** Whether the lease has run out on the database's clock. */
    private static boolean lapsed(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select expires_at < " + LeaseElector.DB_NOW_MS
                     + " from leader_lease where name = 'control'")) {
            return r.next() && r.getBoolean(1);
        }
    }

    /** A placement write as the placer makes it: the fence, then the batch, in one transaction. */
    private static int guardedWrite(DataSource ds, LeaseElector elector, String node) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                elector.fence(c);
                int n = PlacementRepository.write(c, Map.of("s1", node), "assigned", null);
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static String placement(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select assigned_node, state, version from placements where id = 's1'")) {
            r.next();
            return r.getString(1) + "|" + r.getString(2) + "|" + r.getLong(3);
        }
    }
}
