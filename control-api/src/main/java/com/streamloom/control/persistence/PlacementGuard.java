package com.streamloom.control.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The check a placement write runs first, on the connection of its own transaction: it throws when the writer may not
 * write (the leader's fencing epoch is stale), so nothing of that write lands.
 */
@FunctionalInterface
public interface PlacementGuard {
    void fence(Connection c) throws SQLException;

    /**
     * No epoch check, for the placement writes any replica may make (a publisher's claim, a stream's start failures
     * and their clearing), each itself a compare-and-set on the placement row ({@link PlacementRepository#transition}).
     */
    PlacementGuard COMPARE_AND_SET_ONLY = c -> {
    };
}
