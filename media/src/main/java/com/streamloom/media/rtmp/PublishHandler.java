package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaSink;

/**
 * The node's side of RTMP publishing: authorises a stream key and says where the packets go.
 *
 * <p>Called on a network thread, once per publish command; it must return quickly. The returned sink gets every
 * packet of the publication and exactly one {@link MediaSink#end(String)} (unpublish, deleteStream, disconnect or
 * an error). To refuse, throw {@link PublishRejectedException} with a reason for the publisher (never the key):
 * the publisher gets {@code onStatus NetStream.Publish.BadName} and is disconnected. A stream that already has a
 * publisher must be refused; {@link ExclusivePublishers} does that bookkeeping.
 */
@FunctionalInterface
public interface PublishHandler {
    MediaSink onPublish(PublishRequest request) throws PublishRejectedException;
}
