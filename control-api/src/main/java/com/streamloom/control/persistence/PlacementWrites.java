package com.streamloom.control.persistence;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.util.Map;

/**
 * Records where many streams or compositions run with one JDBC batch of primary-key updates: placing 10,000 streams
 * is then one round of cheap statements (issue 4 line 11), where an IN-list update per node made H2 scan the table.
 */
final class PlacementWrites {
    private PlacementWrites() {
    }

    /**
     * Sets node, state and reason of each row in {@code nodeById} (id to node, null node for none) with one
     * prepared statement: H2 parses a statement slowly, so one statement for all rows beats one per node.
     * Only the narrow placement rows are written (see {@link PlacedEntity}).
     */
    static int set(EntityManager em, Map<String, String> nodeById, String state, String reason) {
        if (nodeById.isEmpty()) {
            return 0;
        }
        em.flush();
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("update " + PlacedEntity.PLACEMENTS
                    + " set assigned_node = ?, state = ?, pending_reason = ?, version = version + 1 where id = ?")) {
                for (Map.Entry<String, String> row : nodeById.entrySet()) {
                    ps.setString(1, row.getValue());
                    ps.setString(2, state);
                    ps.setString(3, reason);
                    ps.setString(4, row.getKey());
                    ps.addBatch();
                }
                int n = 0;
                for (int r : ps.executeBatch()) {
                    n += Math.max(r, 0);
                }
                return n;
            }
        });
    }
}
