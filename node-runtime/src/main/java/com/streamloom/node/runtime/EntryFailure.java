package com.streamloom.node.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * Why a desired entry does not run as desired, since when, and when the same spec may be tried again.
 *
 * @param id          the entry's id as the control API knows it
 * @param spec        the spec that failed (a changed spec is tried at once)
 * @param reason      what went wrong, in words a person can act on
 * @param since       when this reason was first seen (kept while the same reason repeats)
 * @param attempts    how many times in a row this spec failed
 * @param nextAttempt the earliest time the same spec is tried again
 */
record EntryFailure(String id, Object spec, String reason, Instant since, int attempts, Instant nextAttempt) {

    /** The first retry waits this long; each further failure doubles it, up to {@link #MAX_DELAY}. */
    static final Duration FIRST_DELAY = Duration.ofSeconds(2);
    static final Duration MAX_DELAY = Duration.ofSeconds(60);

    static EntryFailure first(String id, Object spec, String reason, Instant now) {
        return new EntryFailure(id, spec, reason, now, 1, now.plus(FIRST_DELAY));
    }

    /** The same spec failed again: the back-off grows; {@code since} moves only when the reason changed. */
    EntryFailure again(String newReason, Instant now) {
        Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(attempts, 5));
        if (delay.compareTo(MAX_DELAY) > 0) {
            delay = MAX_DELAY;
        }
        return new EntryFailure(id, spec, newReason, reason.equals(newReason) ? since : now, attempts + 1,
                now.plus(delay));
    }

    boolean waitsAt(Object desiredSpec, Instant now) {
        return spec.equals(desiredSpec) && now.isBefore(nextAttempt);
    }
}
