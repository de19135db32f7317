package com.streamloom.node.runtime;

import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.rtmp.PublishHandler;
import com.streamloom.node.NodeConfig;
import com.streamloom.node.http.MediaHttpServer;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.PipelineStatus;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one kind of node runs (the edge's streams, the compositor's compositions), as the runtime sees it: a set of
 * entries, each named and built from a spec of type {@code S}, that the {@link Reconciler} makes equal to the desired
 * set one entry at a time. The entries also take the node's RTMP publishers ({@link PublishHandler}).
 */
public interface NodeEntries<S> extends PublishHandler, AutoCloseable {

    /** The entries a standalone node runs, from its config file. */
    List<Desired<S>> fromConfig(NodeConfig config);

    /**
     * The entries of a control API answer. May act on what only this kind knows about the answer (a rotated key,
     * input tokens) before the reconciler applies it; must not throw for one bad entry.
     */
    List<Desired<S>> fromControl(DesiredState state);

    /**
     * Starts the entry, applies a changed spec live, or rebuilds it; validates the spec first. Throws (with a
     * reason a person can act on) when the entry cannot be built; what already ran under that name keeps running.
     */
    Applied ensure(String id, S spec);

    /** Stops the entry of that name, if it runs. */
    void remove(String name);

    /** The names of the entries that run now. */
    Set<String> names();

    /** An entry the desired set does not list that must run on anyway (e.g. a granted push not yet in it). */
    default boolean keepsUndesired(String name) {
        return false;
    }

    /** What each running entry reports to the control API. */
    List<PipelineStatus> statuses();

    /** Each running entry for the node's public list ({@code GET /api/streams}): never a secret. */
    List<Map<String, Object>> describe();

    /** Routes that only this kind has (e.g. the edge's captions); the runtime adds the common ones. */
    default void addRoutes(MediaHttpServer http) {
    }

    @Override
    void close();

    /**
     * The steps of {@link #remove} that every kind shares: the entry of that name leaves {@code running} and is
     * stopped with {@code stop}, if it ran, and its HLS output is dropped either way.
     */
    static <E> void stopAndForget(Map<String, E> running, String name, Consumer<E> stop, HlsStreams hls) {
        E entry = running.remove(name);
        if (entry != null) {
            LoggerFactory.getLogger(NodeEntries.class).info("{}: stopping", name);
            stop.accept(entry);
        }
        hls.remove(name);
    }

    /** One entry of a desired set: the control API's id (the name, standalone) and the spec as received. */
    record Desired<S>(String id, String name, S spec) {
    }

    /** What {@link #ensure} did. */
    enum Applied {
        UNCHANGED, UPDATED_LIVE, STARTED, REBUILT
    }
}
