package com.streamloom.compositor;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock moved by hand, so alignment and pacing are tested without sleeping (the tests) and the head-to-head
 * benchmark can drive a real composition tick by tick as fast as it goes ({@code bench.XstackComparison}).
 */
public final class ManualClock extends Clock {
    private volatile long micros;

    public ManualClock(long startMicros) {
        this.micros = startMicros;
    }

    public void setMicros(long micros) {
        this.micros = micros;
    }

    public long micros() {
        return micros;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        long m = micros;
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000);
    }
}
