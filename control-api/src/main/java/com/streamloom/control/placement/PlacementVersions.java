package com.streamloom.control.placement;

import java.util.Objects;

/**
 * The version of a placement rises only when the placement changes (node, state or reason): nodes and people read a
 * higher version as "something changed". The database update in {@code PlacementRepository} follows the same rule.
 */
public final class PlacementVersions {
    private PlacementVersions() {
    }

    public static long next(long version, String oldNode, String oldState, String oldReason, String node,
                            String state, String reason) {
        boolean changed = !Objects.equals(oldNode, node) || !Objects.equals(oldState, state)
                || !Objects.equals(oldReason, reason);
        return changed ? version + 1 : version;
    }
}
