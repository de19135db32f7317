/**
 * RTMP on Netty, server and client, in the style of Netty's own codecs.
 *
 * <p>Server pipeline per connection ({@link com.streamloom.media.rtmp.RtmpServer#configureServerPipeline}):
 * {@code IdleStateHandler} (rtmp.read-idle-timeout) → {@link com.streamloom.media.rtmp.RtmpHandshakeHandler}
 * (removes itself) → {@link com.streamloom.media.rtmp.RtmpChunkEncoder} → {@link
 * com.streamloom.media.rtmp.RtmpChunkDecoder} → {@link com.streamloom.media.rtmp.RtmpServerSession}. A node plugs
 * in a {@link com.streamloom.media.rtmp.PublishHandler} that authorises the stream key and returns the
 * {@code MediaSink} for the packets; {@link com.streamloom.media.rtmp.ExclusivePublishers} keeps it to one
 * publisher per stream.
 *
 * <p>Client: {@link com.streamloom.media.rtmp.RtmpClient} (one connection) and {@link
 * com.streamloom.media.rtmp.RtmpPublisher} (a {@code MediaSink} that reconnects with back-off and drops rather
 * than queues). Every limit is in {@link com.streamloom.media.rtmp.RtmpSettings}; every rule violation is an
 * {@link com.streamloom.media.rtmp.RtmpProtocolException} that closes only the offending connection.
 */
package com.streamloom.media.rtmp;
