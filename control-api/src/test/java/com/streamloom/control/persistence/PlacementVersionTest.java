package com.streamloom.control.persistence;

import com.streamloom.control.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A placement's version rises only when its node, state or reason changes: a write that changes nothing keeps it. */
@QuarkusTest
class PlacementVersionTest {
    @Inject
    PlacementRepository placements;
    @Inject
    EntityManager em;
    @Inject
    com.streamloom.control.cluster.Leadership leadership;

    @Test
    void writingTheSamePlacementAgainKeepsTheVersion() {
        String id = Api.admin().body(Map.of("name", "ver-" + UUID.randomUUID().toString().substring(0, 8),
                        "source", Map.of("type", "rtmp-pull", "url", "rtmp://127.0.0.1/live/x")))
                .post("/api/v1/streams").then().statusCode(201).extract().path("id");
        Row before = row(id);

        QuarkusTransaction.requiringNew().run(() -> {
            if (before.node() == null) {
                placements.markUnplaced(List.of(id), before.state(), before.reason(),
                        leadership.guard());
            } else {
                placements.assign(Map.of(id, before.node()), leadership.guard());
            }
        });
        assertThat(row(id)).isEqualTo(before);

        // the same rule in memory, for the placer's own views
        assertThat(com.streamloom.control.placement.PlacementVersions.next(7, "a", "assigned", null, "a",
                "assigned", null)).isEqualTo(7);
        assertThat(com.streamloom.control.placement.PlacementVersions.next(7, "a", "assigned", null, "b",
                "assigned", null)).isEqualTo(8);
        assertThat(com.streamloom.control.placement.PlacementVersions.next(7, null, "pending", "no edge", null,
                "pending", "no room")).isEqualTo(8);
    }

    private record Row(String node, String state, String reason, long version) {
    }

    private Row row(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] r = (Object[]) em.createNativeQuery("select assigned_node, state, pending_reason, version from "
                    + PlacedEntity.PLACEMENTS + " where id = ?1").setParameter(1, id).getSingleResult();
            return new Row((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue());
        });
    }
}
