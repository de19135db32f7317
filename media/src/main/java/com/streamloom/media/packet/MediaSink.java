package com.streamloom.media.packet;

/**
 * Where a source delivers packets: a publisher's RTMP session, a pull source, or a test feed calls
 * {@link #accept} for each packet in decode order (video and audio interleaved by dts), and {@link #end} once when
 * the source stops (publisher gone, camera dead). Implementations must return quickly: they are called on network
 * threads, so they hand work to a bounded queue and never block.
 */
public interface MediaSink {
    void accept(MediaPacket packet);

    /** The source stopped; {@code reason} is human readable. A new source for the same stream may follow. */
    default void end(String reason) {
    }
}
