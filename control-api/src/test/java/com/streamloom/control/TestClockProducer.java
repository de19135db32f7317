package com.streamloom.control;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Replaces the system clock in every @QuarkusTest with one the tests move. */
@Alternative
@Priority(1)
public class TestClockProducer {
    @Produces
    @Singleton
    MutableClock clock() {
        return new MutableClock(System.currentTimeMillis());
    }
}
