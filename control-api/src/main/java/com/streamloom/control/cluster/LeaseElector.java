package com.streamloom.control.cluster;

import com.streamloom.control.persistence.PlacementGuard;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Leader election between control-API replicas that share one database: a row of {@code leader_lease} names the
 * holder, when its lease ends and its fencing epoch. A replica becomes or stays leader with one conditional UPDATE that
 * succeeds only if it already holds the lease or the lease has expired, so at most one replica holds it at any time; a
 * leader that stops renewing (dies, hangs, loses the database) is replaced once its lease expires.
 *
 * <p>Every time is the database's ({@code current_timestamp} evaluated in the statement), so replicas whose clocks
 * disagree still agree on when a lease ends. The epoch rises whenever the lease changes hands; the leader keeps the
 * epoch it won and {@link #fence(Connection)} lets a write proceed only while the lease still holds that epoch,
 * unexpired, under this holder. A holder that renews late and takes back its own lapsed lease keeps its epoch: nobody
 * else held the lease in between (that would have raised the epoch), and its writes during the lapse were refused by
 * the expiry check, so a placement run in flight across a late renewal is not refused for nothing. Holders are unique
 * per process, so a restarted replica is a new holder. Plain SQL, so H2 and PostgreSQL behave the same.
 */
public final class LeaseElector implements PlacementGuard {
    /** The database's time in epoch milliseconds, evaluated by the statement that uses it (H2 and PostgreSQL). */
    static final String DB_NOW_MS = "cast(extract(epoch from current_timestamp) * 1000 as bigint)";
    private static final long NO_EPOCH = -1;

    private final DataSource dataSource;
    private final String leaseName;
    private final String holder;
    private final Duration leaseDuration;
    private volatile boolean leader;
    private volatile long epoch = NO_EPOCH;

    public LeaseElector(DataSource dataSource, String leaseName, String holder, Duration leaseDuration) {
        this.dataSource = dataSource;
        this.leaseName = leaseName;
        this.holder = holder;
        this.leaseDuration = leaseDuration;
    }

    /** Takes or renews the lease; returns whether this replica is the leader for the next lease duration. */
    public boolean tryAcquireOrRenew() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            ensureRow(c);
            c.setAutoCommit(false);
            try {
                long won = acquire(c);
                c.commit();
                epoch = won;
                leader = won != NO_EPOCH;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            // Without the database nobody can prove leadership: step down rather than risk two leaders.
            leader = false;
            epoch = NO_EPOCH;
        }
        return leader;
    }

    private long acquire(Connection c) throws SQLException {
        // All right-hand sides read the row as it was: the epoch rises only when the holder changes.
        try (PreparedStatement ps = c.prepareStatement("update leader_lease set"
                + " epoch = case when holder = ? then epoch else epoch + 1 end,"
                + " holder = ?, expires_at = " + DB_NOW_MS + " + ? where name = ? and (holder = ? or expires_at < "
                + DB_NOW_MS + ")")) {
            ps.setString(1, holder);
            ps.setString(2, holder);
            ps.setLong(3, leaseDuration.toMillis());
            ps.setString(4, leaseName);
            ps.setString(5, holder);
            if (ps.executeUpdate() != 1) {
                return NO_EPOCH;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select epoch from leader_lease where name = ?")) {
            ps.setString(1, leaseName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : NO_EPOCH;
            }
        }
    }

    /**
     * Checks, inside the caller's transaction on {@code c}, that this replica still holds the lease with the epoch it
     * won and that the lease has not expired; throws {@link StaleEpochException} otherwise. The check locks the lease
     * row until the caller commits, so a replica taking over waits for a write that passed the check and every later
     * write of the former leader fails.
     */
    @Override
    public void fence(Connection c) throws SQLException {
        long mine = epoch;
        if (mine != NO_EPOCH) {
            try (PreparedStatement ps = c.prepareStatement("update leader_lease set epoch = epoch where name = ?"
                    + " and holder = ? and epoch = ? and expires_at >= " + DB_NOW_MS)) {
                ps.setString(1, leaseName);
                ps.setString(2, holder);
                ps.setLong(3, mine);
                if (ps.executeUpdate() == 1) {
                    return;
                }
            }
        }
        leader = false;
        throw new StaleEpochException(holder, mine);
    }

    /** Gives the lease up at once (orderly shutdown), so another replica need not wait for it to expire. */
    public void release() {
        if (!leader) {
            return;
        }
        leader = false;
        epoch = NO_EPOCH;
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

    /** The epoch this replica won with its lease, or -1 when it does not lead. */
    public long epoch() {
        return epoch;
    }

    public String holder() {
        return holder;
    }

    private void ensureRow(Connection c) {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into leader_lease (name, holder, expires_at, epoch) select ?, null, 0, 0 "
                        + "where not exists (select 1 from leader_lease where name = ?)")) {
            ps.setString(1, leaseName);
            ps.setString(2, leaseName);
            ps.executeUpdate();
        } catch (SQLException e) {
            // Another replica inserted it at the same moment: the row exists, which is all we need.
        }
    }
}
