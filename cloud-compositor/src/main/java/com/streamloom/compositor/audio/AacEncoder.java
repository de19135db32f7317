package com.streamloom.compositor.audio;

import com.streamloom.media.codec.AudioEncoder;
import com.streamloom.media.codec.FfmpegError;
import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * Encodes the mixer's interleaved float PCM to AAC-LC {@link MediaPacket}s with the media library's
 * {@link AudioEncoder} (FFmpeg's native {@code aac} encoder): its first output is the AudioSpecificConfig packet,
 * then raw AAC packets whose microsecond timestamps count samples from the first one given (the encoder keeps each
 * sample at its time, so the first packet, which carries the encoder's priming, starts a frame early).
 */
final class AacEncoder implements AutoCloseable {
    private final int sampleRate;
    private final int channels;
    private final AudioEncoder encoder;
    private final AVFrame frame = av_frame_alloc();
    private long samplesSent;
    private boolean skipped;

    AacEncoder(int sampleRate, int channels, int bitRate) {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("1 or 2 channels, got " + channels);
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.encoder = new AudioEncoder(bitRate);
    }

    /**
     * Adds {@code frames} interleaved samples and returns the packets completed so far: the config packet first
     * (again after a {@link #skip}), then access units.
     */
    List<MediaPacket> encode(float[] interleaved, int frames) {
        List<MediaPacket> out = new ArrayList<>();
        if (skipped) {
            // The encoder continues its own clock; a gap needs a new start at the new time.
            encoder.flush(out::add);
            skipped = false;
        }
        if (frames <= 0) {
            return out;
        }
        av_frame_unref(frame);
        frame.format(AV_SAMPLE_FMT_FLT);
        frame.sample_rate(sampleRate);
        av_channel_layout_default(frame.ch_layout(), channels);
        frame.nb_samples(frames);
        FfmpegError.check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer(mix)");
        new FloatPointer(frame.data(0)).put(interleaved, 0, frames * channels);
        frame.pts(samplesSent * 1_000_000L / sampleRate);
        samplesSent += frames;
        encoder.encode(frame, out::add);
        return out;
    }

    /** Leaves a gap of {@code samples} in the timestamps (the output skipped ahead after a stall). */
    void skip(long samples) {
        samplesSent += samples;
        skipped = true;
    }

    @Override
    public void close() {
        encoder.close();
        av_frame_free(frame);
    }
}
