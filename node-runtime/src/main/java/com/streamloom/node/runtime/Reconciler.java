package com.streamloom.node.runtime;

import com.streamloom.node.runtime.NodeEntries.Applied;
import com.streamloom.node.runtime.NodeEntries.Desired;
import com.streamloom.spec.node.PipelineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes what a node runs equal to what is desired, one entry at a time and each isolated: an entry that cannot be
 * built is reported failed with its reason (in the node's status, so in the heartbeat, the control API and the
 * dashboard), and every other entry is still started, updated or stopped. A spec that keeps failing is retried
 * with a growing back-off (2 s doubling up to 60 s), not on every heartbeat; a changed spec is tried at once.
 *
 * <p>It also stamps each status with when its state began, so a person sees "reconnecting since 14:02".
 */
public final class Reconciler<S> {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final NodeEntries<S> entries;
    private final String kind;
    private final Clock clock;
    /** Entry name to why its desired spec does not run. */
    private final Map<String, EntryFailure> failures = new ConcurrentHashMap<>();
    /** Entry id to the state last reported and when it began. */
    private final Map<String, StateSince> states = new ConcurrentHashMap<>();

    /** @param kind what an entry is called in statuses: stream or composition */
    public Reconciler(NodeEntries<S> entries, String kind, Clock clock) {
        this.entries = entries;
        this.kind = kind;
        this.clock = clock;
    }

    /** Starts, updates and stops entries until what runs is {@code desired}; never throws for one entry. */
    public synchronized void apply(List<Desired<S>> desired) {
        Set<String> wanted = new HashSet<>();
        for (Desired<S> d : desired) {
            wanted.add(d.name());
            EntryFailure failed = failures.get(d.name());
            if (failed != null && failed.waitsAt(d.spec(), clock.instant())) {
                continue;
            }
            try {
                applyOne(d);
            } catch (RuntimeException e) {
                // recorded and logged by applyOne; the other entries go on
            }
        }
        for (String name : new ArrayList<>(entries.names())) {
            if (!wanted.contains(name) && !entries.keepsUndesired(name)) {
                try {
                    entries.remove(name);
                } catch (RuntimeException e) {
                    log.warn("{}: did not stop cleanly: {}", name, reason(e));
                }
            }
        }
        failures.keySet().retainAll(wanted);
    }

    /**
     * Applies one entry now (also while its back-off lasts: a person asked for it). Throws what the entry threw,
     * after recording it as the entry's failure.
     */
    public synchronized Applied applyOne(Desired<S> d) {
        try {
            Applied applied = entries.ensure(d.id(), d.spec());
            EntryFailure cleared = failures.remove(d.name());
            if (cleared != null) {
                log.info("{}: applied (failed before: {})", d.name(), cleared.reason());
            }
            return applied;
        } catch (RuntimeException e) {
            String reason = reason(e);
            Instant now = clock.instant();
            EntryFailure before = failures.get(d.name());
            EntryFailure next = before != null && before.spec().equals(d.spec())
                    ? before.again(reason, now) : EntryFailure.first(d.id(), d.spec(), reason, now);
            failures.put(d.name(), next);
            if (before == null || !before.reason().equals(reason)) {
                log.warn("{}: not applied: {}", d.name(), reason);
            }
            throw e;
        }
    }

    /** The failure reason of the entry of that name, or null when its desired spec runs. */
    public String failure(String name) {
        EntryFailure f = failures.get(name);
        return f == null ? null : f.reason();
    }

    /** Every entry's status: the running ones, and each desired one that failed to build as {@code failed}. */
    public List<PipelineStatus> statuses() {
        Map<String, EntryFailure> failedById = new java.util.HashMap<>();
        failures.values().forEach(f -> failedById.put(f.id(), f));
        List<PipelineStatus> out = new ArrayList<>();
        for (PipelineStatus s : entries.statuses()) {
            EntryFailure f = failedById.remove(s.id());
            out.add(stamp(f == null ? s
                    : s.withError("the latest spec was not applied (" + f.reason() + "); running the previous one")));
        }
        for (EntryFailure f : failedById.values()) {
            out.add(new PipelineStatus(f.id(), kind, "failed", 0, 0, 0, f.reason(), f.since().toString()));
        }
        states.keySet().retainAll(out.stream().map(PipelineStatus::id).toList());
        return out;
    }

    /** The failed entries (desired, not running) by name, for the node's public list. */
    public Map<String, String> failedNotRunning() {
        Set<String> running = entries.names();
        Map<String, String> out = new java.util.TreeMap<>();
        failures.forEach((name, f) -> {
            if (!running.contains(name)) {
                out.put(name, f.reason());
            }
        });
        return out;
    }

    private PipelineStatus stamp(PipelineStatus s) {
        if (s.since() != null) {
            return s;
        }
        StateSince st = states.compute(s.id(), (id, prev) -> prev != null && prev.state().equals(s.state())
                ? prev : new StateSince(s.state(), clock.instant()));
        return s.since(st.since().toString());
    }

    static String reason(RuntimeException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }

    private record StateSince(String state, Instant since) {
    }
}
