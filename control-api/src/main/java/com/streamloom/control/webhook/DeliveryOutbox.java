package com.streamloom.control.webhook;

import com.streamloom.control.persistence.PlacementGuard;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deliveries waiting to be sent and the attempts made. A sender claims a due delivery with a compare-and-set on
 * {@code claimed_until}, in a transaction fenced by its lease epoch, so only the leader claims and no delivery is sent
 * by two replicas at once; a claim that outlives its sender (the replica died) lapses and the next leader sends it.
 */
@ApplicationScoped
public class DeliveryOutbox {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String GAVE_UP = "failed";

    /** A claimed delivery, with what sending it needs. */
    public record Claimed(String id, String webhookId, String url, String secret, String event, String body,
                          int attempts, long createdAt) {
    }

    /** One attempt and its answer: the HTTP status, or the error when there was no answer. */
    public record Attempt(long at, Integer statusCode, String error, long durationMs) {
    }

    /** A delivery with its attempts, oldest attempt first. */
    public record Delivery(String id, String event, String eventKey, String state, int attempts, long createdAt,
                           long nextAttemptAt, String body, List<Attempt> tried) {
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Claims up to {@code limit} due deliveries until {@code claimUntil}, skipping webhooks in {@code busy}; at most one
     * per webhook. The whole claim is one transaction that {@code guard} fences (it throws when this replica does not
     * lead with the epoch it won).
     */
    public List<Claimed> claimDue(PlacementGuard guard, String holder, long now, long claimUntil, int limit,
                                  Set<String> busy) throws SQLException {
        List<Claimed> claimed = new ArrayList<>();
        if (limit <= 0) {
            return claimed;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                guard.fence(c);
                List<Claimed> due = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select d.id, d.webhook_id, w.url, w.secret, d.event,"
                        + " d.body, d.attempts, d.created_at from webhook_deliveries d join webhooks w on w.id = d.webhook_id"
                        + " where d.state = '" + PENDING + "' and d.next_attempt_at <= ? and d.claimed_until < ?"
                        + " order by d.next_attempt_at, d.created_at limit ?")) {
                    ps.setLong(1, now);
                    ps.setLong(2, now);
                    ps.setInt(3, limit * 4);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            due.add(new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getString(5), rs.getString(6), rs.getInt(7), rs.getLong(8)));
                        }
                    }
                }
                Set<String> taken = new java.util.HashSet<>(busy);
                try (PreparedStatement ps = c.prepareStatement("update webhook_deliveries set claimed_until = ?,"
                        + " claimed_by = ? where id = ? and state = '" + PENDING + "' and claimed_until < ?")) {
                    for (Claimed d : due) {
                        if (claimed.size() >= limit || !taken.add(d.webhookId())) {
                            continue;
                        }
                        ps.setLong(1, claimUntil);
                        ps.setString(2, holder);
                        ps.setString(3, d.id());
                        ps.setLong(4, now);
                        if (ps.executeUpdate() == 1) {
                            claimed.add(d);
                        }
                    }
                }
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Keeps the attempt and moves the delivery on: {@code state} and when to try next; releases the claim. Then keeps
     * only the newest {@code keptAttempts} attempts of the webhook and drops finished deliveries left without any.
     */
    public void recordAttempt(Claimed d, String holder, Attempt a, String state, long nextAttemptAt, int keptAttempts)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("update webhook_deliveries set attempts = attempts + 1,"
                        + " state = ?, next_attempt_at = ?, claimed_until = 0, claimed_by = null"
                        + " where id = ? and claimed_by = ?")) {
                    ps.setString(1, state);
                    ps.setLong(2, nextAttemptAt);
                    ps.setString(3, d.id());
                    ps.setString(4, holder);
                    if (ps.executeUpdate() == 0) {
                        // the webhook was deleted meanwhile, or the claim lapsed and another sender took it
                        c.rollback();
                        return;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("insert into webhook_attempts (delivery_id, webhook_id,"
                        + " attempted_at, status_code, error, duration_ms) values (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, d.id());
                    ps.setString(2, d.webhookId());
                    ps.setLong(3, a.at());
                    if (a.statusCode() == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, a.statusCode());
                    }
                    ps.setString(5, a.error() == null ? null : truncate(a.error(), 512));
                    ps.setLong(6, a.durationMs());
                    ps.executeUpdate();
                }
                prune(c, d.webhookId(), keptAttempts);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void prune(Connection c, String webhookId, int keptAttempts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from webhook_attempts where webhook_id = ? and id <="
                + " (select id from webhook_attempts where webhook_id = ? order by id desc limit 1 offset ?)")) {
            ps.setString(1, webhookId);
            ps.setString(2, webhookId);
            ps.setInt(3, Math.max(1, keptAttempts));
            if (ps.executeUpdate() == 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("delete from webhook_deliveries where webhook_id = ?"
                + " and state <> '" + PENDING + "' and not exists (select 1 from webhook_attempts"
                + " where webhook_attempts.delivery_id = webhook_deliveries.id)")) {
            ps.setString(1, webhookId);
            ps.executeUpdate();
        }
    }

    /** The webhook's newest deliveries (at most {@code limit}), newest first, each with its kept attempts. */
    public List<Delivery> deliveries(String webhookId, int limit) throws SQLException {
        Map<String, Delivery> byId = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select id, event, event_key, state, attempts, created_at,"
                    + " next_attempt_at, body from webhook_deliveries where webhook_id = ?"
                    + " order by created_at desc, id limit ?")) {
                ps.setString(1, webhookId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.put(rs.getString(1), new Delivery(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getInt(5), rs.getLong(6), rs.getLong(7), rs.getString(8),
                                new ArrayList<>()));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select delivery_id, attempted_at, status_code, error,"
                    + " duration_ms from webhook_attempts where webhook_id = ? order by id")) {
                ps.setString(1, webhookId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Delivery d = byId.get(rs.getString(1));
                        if (d != null) {
                            int code = rs.getInt(3);
                            Integer status = rs.wasNull() ? null : code;
                            d.tried().add(new Attempt(rs.getLong(2), status, rs.getString(4), rs.getLong(5)));
                        }
                    }
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
