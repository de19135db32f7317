package com.streamloom.control.cluster;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Leader election between control-API replicas that share one database: a row of
 * {@code leader_lease} names the holder and when its lease ends. A replica becomes or stays leader with one
 * conditional UPDATE that succeeds only if it already holds the lease or the lease has expired, so at most one
 * replica holds it at any time; a leader that stops renewing (dies, hangs, loses the database) is replaced once its
 * lease expires. Plain SQL, so H2 and PostgreSQL behave the same.
 */
public final class LeaseElector {
    private final DataSource dataSource;
    private final String leaseName;
    private final String holder;
    private final Duration leaseDuration;
    private final Clock clock;
    private volatile boolean leader;

    public LeaseElector(DataSource dataSource, String leaseName, String holder, Duration leaseDuration, Clock clock) {
        this.dataSource = dataSource;
        this.leaseName = leaseName;
        this.holder = holder;
        this.leaseDuration = leaseDuration;
        this.clock = clock;
    }

    /** Takes or renews the lease; returns whether this replica is the leader until {@code now + leaseDuration}. */
    public boolean tryAcquireOrRenew() {
        long now = clock.millis();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            ensureRow(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "update leader_lease set holder = ?, expires_at = ? where name = ? and (holder = ? or expires_at < ?)")) {
                ps.setString(1, holder);
                ps.setLong(2, now + leaseDuration.toMillis());
                ps.setString(3, leaseName);
                ps.setString(4, holder);
                ps.setLong(5, now);
                leader = ps.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            // Without the database nobody can prove leadership: step down rather than risk two leaders.
            leader = false;
        }
        return leader;
    }

    /** Gives the lease up at once (orderly shutdown), so another replica need not wait for it to expire. */
    public void release() {
        if (!leader) {
            return;
        }
        leader = false;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update leader_lease set expires_at = 0 where name = ? and holder = ?")) {
            c.setAutoCommit(true);
            ps.setString(1, leaseName);
            ps.setString(2, holder);
            ps.executeUpdate();
        } catch (SQLException e) {
            // The lease then simply expires.
        }
    }

    public boolean isLeader() {
        return leader;
    }

    public String holder() {
        return holder;
    }

    private void ensureRow(Connection c) {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into leader_lease (name, holder, expires_at) select ?, null, 0 "
                        + "where not exists (select 1 from leader_lease where name = ?)")) {
            ps.setString(1, leaseName);
            ps.setString(2, leaseName);
            ps.executeUpdate();
        } catch (SQLException e) {
            // Another replica inserted it at the same moment: the row exists, which is all we need.
        }
    }
}
