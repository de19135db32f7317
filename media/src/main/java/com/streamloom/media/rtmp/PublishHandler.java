package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaSink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The node's side of RTMP publishing: authorises a stream key and says where the packets go.
 *
 * <p>The returned sink gets every packet of the publication and exactly one {@link MediaSink#end(String)}
 * (unpublish, deleteStream, disconnect or an error). To refuse, throw {@link PublishRejectedException} with a reason
 * for the publisher (never the key): the publisher gets an {@code onStatus} error (by default
 * {@code NetStream.Publish.BadName}) and is disconnected. A stream that already has a publisher must be refused;
 * {@link ExclusivePublishers} does that bookkeeping.
 *
 * <p>{@link #onPublish} is called on the connection's event loop and must decide from memory. A handler whose
 * decision needs I/O (asking a control API) overrides {@link #onPublishAsync} instead and completes the stage from
 * another thread; the session waits without blocking its event loop, and does not read from that connection
 * until the decision arrives.
 */
@FunctionalInterface
public interface PublishHandler {
    MediaSink onPublish(PublishRequest request) throws PublishRejectedException;

    /**
     * The decision as a stage that fails with {@link PublishRejectedException} to refuse. The default decides at
     * once with {@link #onPublish}.
     */
    default CompletionStage<MediaSink> onPublishAsync(PublishRequest request) {
        try {
            return CompletableFuture.completedFuture(onPublish(request));
        } catch (PublishRejectedException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
