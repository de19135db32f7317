package com.streamloom.compositor;

import com.streamloom.compositor.testing.TestCards;
import com.streamloom.compositor.render.YuvColor;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A decoder for tests about alignment and layout rather than codecs: a "packet" carries a width, a height and an
 * RGB colour, and "decodes" to a flat picture of that colour, so a test chooses sizes and colours per frame. The
 * end-to-end RTMP tests ({@code CompositorEndToEndTest}, {@code EdgeToCompositorTest}) run the real H.264 decoder.
 */
final class SolidColourDecoding implements VideoDecoding {
    static MediaPacket packet(int width, int height, int rgb, long ptsMicros) {
        byte[] data = ByteBuffer.allocate(7).putShort((short) width).putShort((short) height)
                .put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb).array();
        return new MediaPacket(MediaPacket.Track.VIDEO, MediaPacket.Codec.H264, ptsMicros, ptsMicros, true, false, data);
    }

    @Override
    public List<VideoFrame> decode(MediaPacket packet) {
        if (packet.config()) return List.of();
        ByteBuffer b = ByteBuffer.wrap(packet.data());
        if (b.remaining() != 7) throw new IllegalArgumentException("not a test packet");
        int w = b.getShort(), h = b.getShort();
        YuvColor c = YuvColor.rgb(b.get() & 0xff, b.get() & 0xff, b.get() & 0xff);
        return List.of(TestCards.solid(w, h, c, packet.ptsMicros()));
    }

    @Override
    public void close() {
    }
}
