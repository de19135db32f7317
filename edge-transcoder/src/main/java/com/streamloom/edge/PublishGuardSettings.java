package com.streamloom.edge;

import java.time.Duration;

/**
 * Limits of the edge's publish key check, each with a safe default. The names in brackets are the setting names.
 *
 * @param keyCheckTimeout       [publish.key-check-timeout] longest wait for the key authority (the control API);
 *                              past it the publish is refused: fail closed (default 3 s)
 * @param maxPendingKeyChecks   [publish.max-pending-key-checks] key checks in flight at once; more are refused at
 *                              once as "busy" (default 64)
 * @param backoffInitial        [publish.backoff-initial] wait after a wrong key before the same address may try
 *                              again (default 1 s); it doubles with every further wrong key
 * @param backoffMax            [publish.backoff-max] the longest such wait (default 30 s)
 * @param backoffMaxAddresses   [publish.backoff-max-addresses] addresses remembered at once; the least recently
 *                              failed is forgotten first (default 10000)
 * @param backoffForgetAfter    [publish.backoff-forget-after] an address without a wrong key for this long starts
 *                              again from the initial wait (default 10 min)
 */
record PublishGuardSettings(Duration keyCheckTimeout, int maxPendingKeyChecks, Duration backoffInitial,
                            Duration backoffMax, int backoffMaxAddresses, Duration backoffForgetAfter) {

    PublishGuardSettings {
        requirePositive("publish.key-check-timeout", keyCheckTimeout);
        requirePositive("publish.backoff-initial", backoffInitial);
        requirePositive("publish.backoff-max", backoffMax);
        requirePositive("publish.backoff-forget-after", backoffForgetAfter);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("publish.backoff-max must not be less than publish.backoff-initial");
        }
        if (maxPendingKeyChecks < 1 || backoffMaxAddresses < 1) {
            throw new IllegalArgumentException(
                    "publish.max-pending-key-checks and publish.backoff-max-addresses must be at least 1");
        }
    }

    static PublishGuardSettings defaults() {
        return new PublishGuardSettings(Duration.ofSeconds(3), 64, Duration.ofSeconds(1), Duration.ofSeconds(30),
                10_000, Duration.ofMinutes(10));
    }

    PublishGuardSettings withKeyCheckTimeout(Duration timeout) {
        return new PublishGuardSettings(timeout, maxPendingKeyChecks, backoffInitial, backoffMax, backoffMaxAddresses,
                backoffForgetAfter);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
