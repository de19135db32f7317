package com.streamloom.spec.node;

import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.StreamSpec;

import java.util.List;
import java.util.Map;

/**
 * The answer to a heartbeat: everything this node should be running now. The agent starts what is missing, updates
 * what changed (a changed stage list is applied live) and stops the rest.
 *
 * @param version       increases whenever the node's assignment changes
 * @param streams       streams (edge) with the spec to run; {@code spec.output().forwardUrls()} are where to push,
 *                      each compositor target with the token for that composition input
 * @param compositions  compositions (compositor)
 * @param playbackKeys  the keys that verify playback tokens of signed outputs ({@code PlaybackToken}): the newest
 *                      first, then the previous one while its grace period after a rotation lasts; secret, never
 *                      logged. Null or empty: signed outputs play for nobody
 * @param controlTokenSha256 SHA-256 (hex) of the token the control API shows when it calls this node's write API
 *                      (captions, heartbeat-now); only the hash travels, so the node can check the control API's
 *                      calls but cannot make them to other nodes. Null: the node's write API takes no cluster call
 */
public record DesiredState(long version, List<StreamAssignment> streams, List<CompositionAssignment> compositions,
                           List<String> playbackKeys, String controlTokenSha256) {

    public DesiredState(long version, List<StreamAssignment> streams, List<CompositionAssignment> compositions) {
        this(version, streams, compositions, List.of(), null);
    }

    public DesiredState(long version, List<StreamAssignment> streams, List<CompositionAssignment> compositions,
                        List<String> playbackKeys) {
        this(version, streams, compositions, playbackKeys, null);
    }

    /** {@link #playbackKeys}, never null. */
    public List<String> acceptedPlaybackKeys() {
        return playbackKeys == null ? List.of() : playbackKeys;
    }

    /** The record's own toString would print the keys. */
    @Override
    public String toString() {
        return "DesiredState[version=" + version + ", streams=" + streams + ", compositions=" + compositions
                + ", playbackKeys=" + acceptedPlaybackKeys().size() + " hidden]";
    }

    /** A stream to run; {@code id} is the control API's id, {@code spec.name()} names the HLS path. */
    public record StreamAssignment(String id, StreamSpec spec, String keySha256) {
        /**
         * @param keySha256 for a push stream, the SHA-256 (hex) of its current stream key: a publication that used
         *                  another key (rotated since) is ended. Null for pull streams
         */
        public StreamAssignment {
        }

        public StreamAssignment(String id, StreamSpec spec) {
            this(id, spec, null);
        }

        /** The record's own toString would print the key's hash, which no log line may carry. */
        @Override
        public String toString() {
            return "StreamAssignment[id=" + id + ", spec=" + spec + "]";
        }
    }

    /**
     * A composition to run.
     *
     * @param inputTokenSha256 input stream name to the SHA-256 (hex) of the token an edge must show
     *                         ({@code ?token=} on its push) to feed that input of this composition; the compositor
     *                         refuses a push without the token of one of its compositions' inputs of that name
     */
    public record CompositionAssignment(String id, CompositionSpec spec, Map<String, String> inputTokenSha256) {
        public CompositionAssignment {
            inputTokenSha256 = inputTokenSha256 == null ? Map.of() : Map.copyOf(inputTokenSha256);
        }
    }
}
