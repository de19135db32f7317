package com.streamloom.media.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock moved by hand, so time-dependent code is benchmarked and tested without sleeping (the compositor's
 * benchmark moves it one output frame per tick). Thread-safe. Part of the media test kit, which the tests of every
 * module and the {@code bench} module share.
 */
public final class SettableClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    public SettableClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    private SettableClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** A clock at {@code epochMicros} microseconds since the epoch (the unit of every media timestamp). */
    public static SettableClock atMicros(long epochMicros) {
        return new SettableClock(Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS));
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void setMicros(long epochMicros) {
        now = Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A clock showing this one's time now in {@code zone}; it does not follow later moves of this one. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new SettableClock(now, zone);
    }
}
