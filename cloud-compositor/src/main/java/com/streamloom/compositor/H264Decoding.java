package com.streamloom.compositor;

import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;

import java.util.ArrayList;
import java.util.List;

/**
 * The production {@link VideoDecoding}: the {@code media} library's H.264/HEVC decoder, one per input. It decodes
 * with one slice thread: a compositor runs many inputs at once, so parallelism comes from the inputs' own worker
 * threads, and frame threads would add a frame of delay each. Corrupt packets are counted by the decoder, not thrown
 * (see {@link VideoDecoder}), so {@link #corruptPackets()} is the input's decode-error count.
 */
public final class H264Decoding implements VideoDecoding {
    private final VideoDecoder decoder;
    /** Copied after each decode: the decoder's own counter is not meant to be read from other threads. */
    private volatile long corruptPackets;

    /** @param limit the largest input picture the node decodes ({@code media.maxPicture}) */
    public H264Decoding(PictureLimit limit) {
        decoder = new VideoDecoder(new VideoDecoder.Options(VideoDecoder.Threading.SLICE, 1), limit);
    }

    @Override
    public List<VideoFrame> decode(MediaPacket packet) {
        List<VideoFrame> out = new ArrayList<>(1);
        decoder.decode(packet, out::add);
        corruptPackets = decoder.corruptPackets();
        return out;
    }

    @Override
    public long corruptPackets() {
        return corruptPackets;
    }

    @Override
    public String pictureRefusal() {
        return decoder.refusal();
    }

    @Override
    public void close() {
        decoder.close();
    }
}
