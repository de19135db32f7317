package com.streamloom.edge;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Slows down stream key guessing: after a wrong key, the next publish from the same address must wait (by default
 * 1 s, doubling with each further wrong key up to 30 s). Memory is bounded: at most
 * {@link PublishGuardSettings#backoffMaxAddresses()} addresses are kept (the least recently failed is dropped
 * first), and an address is forgotten once it has had no wrong key for
 * {@link PublishGuardSettings#backoffForgetAfter()}. Attempts refused while waiting do not lengthen the wait.
 * One key check per address runs at a time, so parallel connections cannot multiply the guesses per wait.
 */
final class PublishBackoff {
    private record Failures(int count, long lastFailureMillis) {
    }

    private final PublishGuardSettings settings;
    private final Clock clock;
    private final LinkedHashMap<String, Failures> byAddress;
    /** Addresses with a key check in progress; at most one entry per check in flight. */
    private final Set<String> checking = new HashSet<>();

    PublishBackoff(PublishGuardSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > settings.backoffMaxAddresses();
            }
        };
    }

    /**
     * Admits a key check from {@code from} and marks it in progress (end it with {@link #finished}), or says why
     * not: the wait left after wrong keys, or a check from that address already running.
     *
     * @return null when admitted, else the reason for the publisher
     */
    synchronized String admit(SocketAddress from) {
        Duration wait = remaining(from);
        if (!wait.isZero()) {
            return "too many wrong stream keys from this address; try again in " + seconds(wait) + " s";
        }
        if (!checking.add(address(from))) {
            return "a stream key check from this address is already in progress; try again in a moment";
        }
        return null;
    }

    /** Ends an admitted check: a wrong key doubles the next wait, a good one starts the address afresh. */
    synchronized void finished(SocketAddress from, Boolean keyWasRight) {
        checking.remove(address(from));
        if (Boolean.TRUE.equals(keyWasRight)) {
            succeeded(from);
        } else if (Boolean.FALSE.equals(keyWasRight)) {
            failed(from);
        }
    }

    /** How long {@code from} must still wait before its next attempt; zero when it may try now. */
    synchronized Duration remaining(SocketAddress from) {
        String address = address(from);
        Failures f = byAddress.get(address);
        if (f == null) {
            return Duration.ZERO;
        }
        long now = clock.millis();
        if (now - f.lastFailureMillis() >= settings.backoffForgetAfter().toMillis()) {
            byAddress.remove(address);
            return Duration.ZERO;
        }
        long left = f.lastFailureMillis() + wait(f.count()).toMillis() - now;
        return left > 0 ? Duration.ofMillis(left) : Duration.ZERO;
    }

    /** Records a wrong key from {@code from}: its next wait doubles. */
    synchronized void failed(SocketAddress from) {
        String address = address(from);
        Failures f = byAddress.get(address);
        long now = clock.millis();
        boolean fresh = f == null || now - f.lastFailureMillis() >= settings.backoffForgetAfter().toMillis();
        byAddress.put(address, new Failures(fresh ? 1 : Math.min(f.count() + 1, 31), now));
    }

    /** A good key from {@code from}: it starts afresh. */
    synchronized void succeeded(SocketAddress from) {
        byAddress.remove(address(from));
    }

    synchronized int trackedAddresses() {
        return byAddress.size();
    }

    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** The wait after {@code failures} wrong keys in a row: initial × 2^(failures-1), capped. */
    private Duration wait(int failures) {
        long initial = settings.backoffInitial().toMillis();
        long max = settings.backoffMax().toMillis();
        long millis = initial;
        for (int i = 1; i < failures && millis < max; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max));
    }

    /** The host part only: a guesser opens a new connection (a new port) per attempt. */
    private static String address(SocketAddress from) {
        if (from instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(from);
    }
}
