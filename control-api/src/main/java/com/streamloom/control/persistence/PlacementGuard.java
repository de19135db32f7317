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
     * No epoch check, for the one placement write any replica may make: a publisher's claim, which is itself a
     * compare-and-set on the placement row ({@link PlacementRepository#moveIfStill}).
     */
    PlacementGuard COMPARE_AND_SET_ONLY = c -> {
    };
}
