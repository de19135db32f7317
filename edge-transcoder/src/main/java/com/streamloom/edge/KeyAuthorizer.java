package com.streamloom.edge;

import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.StreamSpec;

import java.util.concurrent.CompletableFuture;

/**
 * Decides whether an RTMP publish may go on, and for which stream. The key never leaves this decision: the answer
 * names the stream, which is what logs, playlists and status pages use.
 *
 * <p>The decision may need I/O (a control API), so it is a future and is never awaited on the RTMP event loop. It
 * fails with {@link PublishRejectedException}: {@link PublishRejectedException#keyRefused()} when the key is wrong,
 * {@link PublishRejectedException#unavailable} when no decision could be made (which also refuses: fail closed).
 */
interface KeyAuthorizer {

    /** The stream a key publishes to: its id (control API id, or the name in standalone mode) and its spec. */
    record Grant(String streamId, StreamSpec spec) {
    }

    CompletableFuture<Grant> authorize(PublishRequest request);
}
