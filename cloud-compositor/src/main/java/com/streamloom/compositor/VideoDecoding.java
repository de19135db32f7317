package com.streamloom.compositor;

import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;

import java.util.List;

/**
 * The seam where an input's video packets become pictures. The compositor does not decode H.264 itself: the
 * process plugs in the {@code media} library's decoder (one instance per input, see {@code Composition}'s
 * constructor). Called on the input's own worker thread only.
 */
public interface VideoDecoding extends AutoCloseable {
    /**
     * Takes one video packet in decode order (a config packet with the avcC record, or an access unit) and returns
     * the pictures it completes, in presentation order, with {@code ptsMicros} set; the caller owns them. Bad data
     * throws an exception with a clear message; the caller counts it and goes on with the next keyframe.
     */
    List<VideoFrame> decode(MediaPacket packet);

    /**
     * Packets the decoder itself rejected without throwing (a decoder that counts bad data instead of failing on it,
     * like the {@code media} one); added to the input's decode errors. Read from any thread.
     */
    default long corruptPackets() {
        return 0;
    }

    /**
     * Why this input's pictures are refused now (larger than the node's {@code media.maxPicture}), in words, or null
     * while they fit; the composition's status names the input with it. Read from any thread.
     */
    default String pictureRefusal() {
        return null;
    }

    /** Frees the decoder. */
    @Override
    void close();
}
