package com.streamloom.edge;

import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.StreamSpec;

/**
 * Decides whether an RTMP publish may go on, and for which stream. The key never leaves this decision: the answer
 * names the stream, which is what logs, playlists and status pages use.
 */
interface KeyAuthorizer {

    /** The stream a key publishes to: its id (control API id, or the name in standalone mode) and its spec. */
    record Grant(String streamId, StreamSpec spec) {
    }

    Grant authorize(PublishRequest request) throws PublishRejectedException;
}
