package com.streamloom.media.rtmp;

import java.time.Duration;

/**
 * Every limit of the RTMP server and client, each with a safe default. The property names in brackets are the
 * names the nodes use in their configuration files.
 *
 * @param maxMessageBytes         [rtmp.max-message-bytes] largest message a peer may declare (default 4 MiB); a
 *                                1080p keyframe at 8 Mbit/s is well under 1 MiB
 * @param maxChunkSize            [rtmp.max-chunk-size] largest chunk size a peer may set with Set Chunk Size
 *                                (default 16 MiB, which is also the largest message RTMP can express, spec 5.4.1)
 * @param handshakeTimeout        [rtmp.handshake-timeout] time a peer has to complete the handshake (default 5 s)
 * @param readIdleTimeout         [rtmp.read-idle-timeout] a connection that sends nothing for this long is closed
 *                                (default 10 s)
 * @param maxChunkStreams         [rtmp.max-chunk-streams] distinct chunk stream ids per connection (default 64)
 * @param maxStreamsPerConnection [rtmp.max-streams-per-connection] createStream calls per connection (default 4)
 * @param maxAmfDepth             [rtmp.max-amf-depth] nesting depth of AMF0 objects and arrays (default 16)
 * @param maxStreamNameLength     [rtmp.max-stream-name-length] characters of a publish name incl. query (default 256)
 * @param outboundChunkSize       [rtmp.outbound-chunk-size] chunk size we announce and send with (default 4096)
 * @param windowAckSize           [rtmp.window-ack-size] acknowledgement window we ask the peer for (default 2.5 MB)
 * @param maxConnections          [rtmp.max-connections] open connections per server, its TLS and plain ports
 *                                together (default 1000)
 * @param maxConnectionsPerAddress [rtmp.max-connections-per-address] open connections from one remote address per
 *                                server (default 50)
 * @param publishTimeout          [rtmp.publish-timeout] time from connect, and from the end of a connection's last
 *                                publication, until a publish must be accepted; every legitimate client of a node
 *                                publishes (default 10 s)
 * @param maxConnectionBufferBytes [rtmp.max-connection-buffer-bytes] bytes one connection may hold in unfinished
 *                                messages over all its chunk streams (default twice rtmp.max-message-bytes; at least
 *                                rtmp.max-message-bytes, or the largest allowed message could never arrive)
 * @param maxNodeBufferBytes      [rtmp.max-node-buffer-bytes] bytes all connections of a server together may hold
 *                                in unfinished messages before a connection that has not published is refused
 *                                (default 256 MiB)
 */
public record RtmpSettings(int maxMessageBytes, int maxChunkSize, Duration handshakeTimeout, Duration readIdleTimeout,
                           int maxChunkStreams, int maxStreamsPerConnection, int maxAmfDepth, int maxStreamNameLength,
                           int outboundChunkSize, int windowAckSize, int maxConnections,
                           int maxConnectionsPerAddress, Duration publishTimeout, int maxConnectionBufferBytes,
                           long maxNodeBufferBytes) {

    /** RTMP spec 5.4.1: chunk sizes are 31-bit; message lengths are 24-bit (spec 5.3.1.2.1). */
    public static final int MAX_PROTOCOL_CHUNK_SIZE = 0x7FFFFFFF;
    public static final int MAX_PROTOCOL_MESSAGE_LENGTH = 0xFFFFFF;

    public RtmpSettings {
        requireRange("rtmp.max-message-bytes", maxMessageBytes, 1, MAX_PROTOCOL_MESSAGE_LENGTH);
        requireRange("rtmp.max-chunk-size", maxChunkSize, 128, MAX_PROTOCOL_CHUNK_SIZE);
        requirePositive("rtmp.handshake-timeout", handshakeTimeout);
        requirePositive("rtmp.read-idle-timeout", readIdleTimeout);
        requireRange("rtmp.max-chunk-streams", maxChunkStreams, 1, 65599);
        requireRange("rtmp.max-streams-per-connection", maxStreamsPerConnection, 1, 1024);
        requireRange("rtmp.max-amf-depth", maxAmfDepth, 1, 1000);
        requireRange("rtmp.max-stream-name-length", maxStreamNameLength, 1, 65535);
        requireRange("rtmp.outbound-chunk-size", outboundChunkSize, 128, maxChunkSize);
        requireRange("rtmp.window-ack-size", windowAckSize, 1, Integer.MAX_VALUE);
        requireRange("rtmp.max-connections", maxConnections, 1, 1_000_000);
        requireRange("rtmp.max-connections-per-address", maxConnectionsPerAddress, 1, 1_000_000);
        requirePositive("rtmp.publish-timeout", publishTimeout);
        requireRange("rtmp.max-connection-buffer-bytes", maxConnectionBufferBytes, maxMessageBytes,
                Integer.MAX_VALUE);
        requireRange("rtmp.max-node-buffer-bytes", maxNodeBufferBytes, 1, Long.MAX_VALUE);
    }

    public static RtmpSettings defaults() {
        int maxMessageBytes = 4 * 1024 * 1024;
        return new RtmpSettings(maxMessageBytes, 16 * 1024 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(10),
                64, 4, 16, 256, 4096, 2_500_000, 1000, 50, Duration.ofSeconds(10), 2 * maxMessageBytes,
                256L * 1024 * 1024);
    }

    /** The message limit, and the per-connection buffer at its default of twice that. */
    public RtmpSettings withMaxMessageBytes(int value) {
        return new RtmpSettings(value, maxChunkSize, handshakeTimeout, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize,
                maxConnections, maxConnectionsPerAddress, publishTimeout, 2 * value, maxNodeBufferBytes);
    }

    public RtmpSettings withHandshakeTimeout(Duration value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, value, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize,
                maxConnections, maxConnectionsPerAddress, publishTimeout, maxConnectionBufferBytes,
                maxNodeBufferBytes);
    }

    public RtmpSettings withReadIdleTimeout(Duration value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, handshakeTimeout, value, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize,
                maxConnections, maxConnectionsPerAddress, publishTimeout, maxConnectionBufferBytes,
                maxNodeBufferBytes);
    }

    public RtmpSettings withOutboundChunkSize(int value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, handshakeTimeout, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, value, windowAckSize, maxConnections,
                maxConnectionsPerAddress, publishTimeout, maxConnectionBufferBytes, maxNodeBufferBytes);
    }

    public RtmpSettings withMaxConnections(int value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, handshakeTimeout, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize, value,
                maxConnectionsPerAddress, publishTimeout, maxConnectionBufferBytes, maxNodeBufferBytes);
    }

    public RtmpSettings withMaxConnectionsPerAddress(int value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, handshakeTimeout, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize,
                maxConnections, value, publishTimeout, maxConnectionBufferBytes, maxNodeBufferBytes);
    }

    public RtmpSettings withPublishTimeout(Duration value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, handshakeTimeout, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize,
                maxConnections, maxConnectionsPerAddress, value, maxConnectionBufferBytes, maxNodeBufferBytes);
    }

    public RtmpSettings withMaxConnectionBufferBytes(int value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, handshakeTimeout, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize,
                maxConnections, maxConnectionsPerAddress, publishTimeout, value, maxNodeBufferBytes);
    }

    public RtmpSettings withMaxNodeBufferBytes(long value) {
        return new RtmpSettings(maxMessageBytes, maxChunkSize, handshakeTimeout, readIdleTimeout, maxChunkStreams,
                maxStreamsPerConnection, maxAmfDepth, maxStreamNameLength, outboundChunkSize, windowAckSize,
                maxConnections, maxConnectionsPerAddress, publishTimeout, maxConnectionBufferBytes, value);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
