package com.streamloom.control.webhook;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static com.streamloom.control.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

/** A webhook keeps only its newest attempts; a finished delivery left without attempts goes with them. */
@QuarkusTest
class WebhookRetentionTest {
    private static final String HOLDER = "retention-test";
    private static final long FAR = Long.MAX_VALUE / 2;

    @Inject
    DeliveryOutbox outbox;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void onlyTheNewestAttemptsAreKept() throws SQLException {
        String hook = WebhookDeliveryTest.register("http://127.0.0.1:9/kept", WebhookEvents.RECORDING_READY);
        try {
            // rows the dispatcher leaves alone (claimed by this test, due far in the future)
            DeliveryOutbox.Claimed first = delivery(hook, "d1");
            DeliveryOutbox.Claimed second = delivery(hook, "d2");
            record(first, DeliveryOutbox.GAVE_UP);
            for (int i = 0; i < 4; i++) {
                record(second, DeliveryOutbox.PENDING);
            }
            assertThat(count("select count(*) from webhook_attempts where webhook_id = ?", hook)).isEqualTo(3);
            assertThat(count("select count(*) from webhook_attempts where delivery_id = ?", second.id())).isEqualTo(3);
            // the given-up delivery lost its only attempt, so it is gone; the pending one stays
            List<String> ids = admin().get("/api/v1/webhooks/" + hook + "/deliveries").then().statusCode(200)
                    .extract().jsonPath().getList("id", String.class);
            assertThat(ids).containsExactly(second.id());
        } finally {
            admin().delete("/api/v1/webhooks/" + hook).then().statusCode(204);
        }
    }

    private void record(DeliveryOutbox.Claimed d, String state) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update webhook_deliveries set claimed_by = ?, claimed_until = ? where id = ?")) {
            ps.setString(1, HOLDER);
            ps.setLong(2, FAR);
            ps.setString(3, d.id());
            ps.executeUpdate();
        }
        outbox.recordAttempt(d, HOLDER, new DeliveryOutbox.Attempt(1, 500, null, 1), state, FAR, 3);
    }

    private DeliveryOutbox.Claimed delivery(String hook, String key) throws SQLException {
        String id = java.util.UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into webhook_deliveries (id, webhook_id, event_key, event, body, state, attempts, created_at,"
                        + " next_attempt_at, claimed_until, claimed_by) values (?, ?, ?, 'recording.ready', '{}',"
                        + " 'pending', 0, 1, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, hook);
            ps.setString(3, key);
            ps.setLong(4, FAR);
            ps.setLong(5, FAR);
            ps.setString(6, HOLDER);
            ps.executeUpdate();
        }
        return new DeliveryOutbox.Claimed(id, hook, "http://127.0.0.1:9/kept", "unused", "recording.ready", "{}", 0, 1);
    }

    private long count(String sql, String arg) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
