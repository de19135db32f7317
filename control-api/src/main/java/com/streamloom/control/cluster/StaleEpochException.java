package com.streamloom.control.cluster;

/**
 * A placement write was refused because this replica no longer holds the leader lease with the epoch it won: another
 * replica leads now (or the lease lapsed), and a write of the former leader must not land.
 */
public final class StaleEpochException extends IllegalStateException {
    public StaleEpochException(String holder, long epoch) {
        super(holder + " wrote with leader epoch " + epoch + ", which is no longer the lease's: the write is refused");
    }
}
