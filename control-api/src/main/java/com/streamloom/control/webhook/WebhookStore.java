package com.streamloom.control.webhook;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The webhooks table and the entry into the outbox: an event becomes one pending delivery per webhook that wants it.
 * Plain JDBC with autocommit, one statement per change, the same on H2 and PostgreSQL.
 */
@ApplicationScoped
public class WebhookStore {
    /** SQL state of a unique-constraint violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** A webhook as stored; {@code secret} never leaves the control API except as a signature. */
    public record Webhook(String id, String url, Set<String> events, String secret, long createdAt) {
    }

    @Inject
    AgroalDataSource dataSource;

    public Webhook create(String url, Set<String> events, String secret, long now) {
        Webhook w = new Webhook(UUID.randomUUID().toString(), url, events, secret, now);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into webhooks (id, url, events, secret, created_at) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, w.id());
            ps.setString(2, url);
            ps.setString(3, String.join(",", events));
            ps.setString(4, secret);
            ps.setLong(5, now);
            ps.executeUpdate();
            return w;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the webhook", e);
        }
    }

    public List<Webhook> all() {
        return query("select id, url, events, secret, created_at from webhooks order by created_at, id", null);
    }

    public Optional<Webhook> get(String id) {
        return query("select id, url, events, secret, created_at from webhooks where id = ?", id).stream().findFirst();
    }

    public int count() {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from webhooks")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count webhooks", e);
        }
    }

    /** Deletes the webhook with its deliveries and attempts; returns whether it existed. */
    public boolean delete(String id) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement a = c.prepareStatement("delete from webhook_attempts where webhook_id = ?");
                 PreparedStatement d = c.prepareStatement("delete from webhook_deliveries where webhook_id = ?");
                 PreparedStatement w = c.prepareStatement("delete from webhooks where id = ?")) {
                a.setString(1, id);
                a.executeUpdate();
                d.setString(1, id);
                d.executeUpdate();
                w.setString(1, id);
                boolean existed = w.executeUpdate() == 1;
                c.commit();
                return existed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete the webhook", e);
        }
    }

    /**
     * Puts the event in the outbox of every webhook that wants it, due now. {@code eventKey} names the event itself
     * (the same for every replica that saw it), so recording it twice makes no second delivery. Returns how many
     * deliveries were added.
     */
    public int enqueue(String event, String eventKey, String body, long now) {
        int added = 0;
        for (Webhook w : all()) {
            if (!w.events().contains(event)) {
                continue;
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "insert into webhook_deliveries (id, webhook_id, event_key, event, body, state, attempts,"
                            + " created_at, next_attempt_at, claimed_until, claimed_by)"
                            + " values (?, ?, ?, ?, ?, '" + DeliveryOutbox.PENDING + "', 0, ?, ?, 0, null)")) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, w.id());
                ps.setString(3, eventKey);
                ps.setString(4, event);
                ps.setString(5, body);
                ps.setLong(6, now);
                ps.setLong(7, now);
                added += ps.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new IllegalStateException("cannot store a webhook delivery", e);
                }
                // another replica recorded the same event first: one delivery is all there is to be
            }
        }
        return added;
    }

    private List<Webhook> query(String sql, String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setString(1, id);
            }
            List<Webhook> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<String> events = Arrays.stream(rs.getString(3).split(",")).filter(s -> !s.isEmpty())
                            .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
                    out.add(new Webhook(rs.getString(1), rs.getString(2), events, rs.getString(4), rs.getLong(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read webhooks", e);
        }
    }
}
