package com.streamloom.media.testing;

import com.streamloom.media.codec.AudioDecoder;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An output sink for tests: keeps every packet and end reason, and decodes the output back for pixel checks. */
public final class CollectingSink implements MediaSink {
    public final List<MediaPacket> packets = new CopyOnWriteArrayList<>();
    public final List<String> ends = new CopyOnWriteArrayList<>();
    /** Packets in order, with a null where end() was called. */
    public final List<MediaPacket> timeline = new CopyOnWriteArrayList<>();

    @Override
    public void accept(MediaPacket packet) {
        packets.add(packet);
        timeline.add(packet);
    }

    @Override
    public void end(String reason) {
        ends.add(reason);
    }

    public List<MediaPacket> video() {
        return packets.stream().filter(MediaPacket::isVideo).filter(p -> !p.config()).toList();
    }

    public List<MediaPacket> audio() {
        return packets.stream().filter(MediaPacket::isAudio).filter(p -> !p.config()).toList();
    }

    /** One decoded output picture: its pts and mean luma. */
    public record Picture(long ptsMicros, int width, int height, double meanLuma) {
    }

    /** Decodes the collected video and returns each picture's pts and mean luma, in output order. */
    public List<Picture> decodeVideo() {
        List<Picture> out = new ArrayList<>();
        try (VideoDecoder decoder = new VideoDecoder()) {
            Consumer<VideoFrame> collect = f -> {
                try (f) {
                    out.add(new Picture(f.ptsMicros(), f.width(), f.height(), org.bytedeco.opencv.global.opencv_core.mean(f.y()).get(0)));
                }
            };
            packets.stream().filter(MediaPacket::isVideo).forEach(p -> decoder.decode(p, collect));
            decoder.flush(collect);
        }
        return out;
    }

    /** Decodes the collected audio; returns the time (µs) of the first sample whose magnitude exceeds {@code level}. */
    public long firstLoudSampleMicros(float level) {
        long[] found = {Long.MIN_VALUE};
        try (AudioDecoder decoder = new AudioDecoder()) {
            Consumer<org.bytedeco.ffmpeg.avutil.AVFrame> scan = f -> {
                if (found[0] != Long.MIN_VALUE) {
                    return;
                }
                // AAC decodes to planar float (fltp); channel 0 is enough.
                org.bytedeco.javacpp.FloatPointer s = new org.bytedeco.javacpp.FloatPointer(f.extended_data(0));
                for (int i = 0; i < f.nb_samples(); i++) {
                    if (Math.abs(s.get(i)) > level) {
                        found[0] = f.pts() + i * 1_000_000L / f.sample_rate();
                        return;
                    }
                }
            };
            packets.stream().filter(MediaPacket::isAudio).forEach(p -> decoder.decode(p, scan));
            decoder.flush(scan);
        }
        return found[0];
    }
}
