package com.streamloom.control.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where streams and compositions run: the rows of the narrow {@value PlacedEntity#PLACEMENTS} table (one per stream
 * or composition, same id), the only place they change after creation. Each call is one JDBC batch of primary-key
 * updates: placing 10,000 streams is one round of cheap statements.
 */
@ApplicationScoped
public class PlacementRepository {
    @Inject
    EntityManager em;

    /**
     * Records where each of these runs now (id to node), bumping each placement's version, once {@code guard} let
     * the write through (the leader's fencing epoch).
     */
    public int assign(Map<String, String> nodeById, PlacementGuard guard) {
        return set(nodeById, "assigned", null, guard);
    }

    /** Records that these run nowhere, in {@code state} (pending or offline) for {@code reason}, once guarded. */
    public int markUnplaced(Collection<String> ids, String state, String reason, PlacementGuard guard) {
        Map<String, String> none = new LinkedHashMap<>();
        ids.forEach(id -> none.put(id, null));
        return set(none, state, reason, guard);
    }

    /**
     * Sets node, state and reason of each row in {@code nodeById} (id to node, null node for none) with one
     * prepared statement: H2 parses a statement slowly, so one statement for all rows beats one per node.
     */
    private int set(Map<String, String> nodeById, String state, String reason, PlacementGuard guard) {
        if (nodeById.isEmpty()) {
            return 0;
        }
        em.flush();
        return em.unwrap(Session.class).doReturningWork(c -> {
            guard.fence(c);
            return write(c, nodeById, state, reason);
        });
    }

    /** For {@link #transition}'s {@code fromState}: whatever state the placement is in. */
    public static final String ANY_STATE = null;

    /**
     * Moves one placement from ({@code fromNode}, {@code fromState}) to ({@code node}, {@code state}, {@code reason})
     * only if it is still there, after {@code guard}; returns whether it moved. {@code fromNode} null means on no
     * node, {@code fromState} {@link #ANY_STATE} any state. A write any replica may make (an edge's claim of a stream
     * whose publisher it received, a stream's start failures, a person clearing them) is such a compare-and-set, so
     * of two replicas writing the same placement at once exactly one write lands.
     */
    public boolean transition(String id, String fromNode, String fromState, String node, String state, String reason,
                              PlacementGuard guard) {
        em.flush();
        return em.unwrap(Session.class).doReturningWork(c -> {
            guard.fence(c);
            try (PreparedStatement ps = c.prepareStatement("update " + PlacedEntity.PLACEMENTS
                    + " set version = version + 1, assigned_node = ?, state = ?, pending_reason = ?"
                    + " where id = ? and assigned_node is not distinct from ?"
                    + (fromState == ANY_STATE ? "" : " and state = ?"))) {
                ps.setString(1, node);
                ps.setString(2, state);
                ps.setString(3, reason);
                ps.setString(4, id);
                ps.setString(5, fromNode);
                if (fromState != ANY_STATE) {
                    ps.setString(6, fromState);
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The batch of {@link #set}, on a connection whose transaction the caller owns (and has guarded). */
    public static int write(Connection c, Map<String, String> nodeById, String state, String reason)
            throws SQLException {
        // The version rises only when the placement changes: a node compares versions to decide what to
        // rebuild, and a version that rose for nothing would look like a change to people and nodes alike.
        try (PreparedStatement ps = c.prepareStatement("update " + PlacedEntity.PLACEMENTS
                + " set version = case when assigned_node is distinct from ? or state is distinct from ?"
                + " or pending_reason is distinct from ? then version + 1 else version end,"
                + " assigned_node = ?, state = ?, pending_reason = ? where id = ?")) {
            for (Map.Entry<String, String> row : nodeById.entrySet()) {
                for (int base : new int[]{0, 3}) {
                    ps.setString(base + 1, row.getValue());
                    ps.setString(base + 2, state);
                    ps.setString(base + 3, reason);
                }
                ps.setString(7, row.getKey());
                ps.addBatch();
            }
            int n = 0;
            for (int r : ps.executeBatch()) {
                n += Math.max(r, 0);
            }
            return n;
        }
    }
}
