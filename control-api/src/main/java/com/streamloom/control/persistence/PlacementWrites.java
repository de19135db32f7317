package com.streamloom.control.persistence;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.util.Collection;

/**
 * Records where many streams or compositions run with one JDBC batch of primary-key updates: placing 10,000 streams
 * is then one round of cheap statements (issue 4 line 11), where an IN-list update per node made H2 scan the table.
 */
final class PlacementWrites {
    private PlacementWrites() {
    }

    /** {@code table} is one of the two constant table names, never user input. */
    static int set(EntityManager em, String table, Collection<String> ids, String node, String state, String reason) {
        if (ids.isEmpty()) {
            return 0;
        }
        em.flush();
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("update " + table
                    + " set assigned_node = ?, state = ?, pending_reason = ?, version = version + 1 where id = ?")) {
                for (String id : ids) {
                    ps.setString(1, node);
                    ps.setString(2, state);
                    ps.setString(3, reason);
                    ps.setString(4, id);
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
