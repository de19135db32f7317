package com.streamloom.media.pipeline;

import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.codec.PictureLimit;
import com.streamloom.media.codec.VideoDecoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.EncodingSpec;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Builds a {@link StreamProcessor}; reads like the data flow: input queue, stages, encoding, output. */
public final class StreamProcessorBuilder {
    final String name;
    int queueCapacity = 120;
    int stageQueueCapacity = 8;
    int encoderQueueCapacity = 32;
    int rescueCapacity = 256;
    boolean blockWhenFull;
    List<FrameStage> stages = List.of();
    EncodingSpec encoding = EncodingSpec.defaults();
    KeyframePolicy keyframes = KeyframePolicy.atSegmentBoundaries(2_000_000);
    VideoDecoder.Options decoderOptions = VideoDecoder.Options.lowLatency();
    PictureLimit pictureLimit = PictureLimit.DEFAULT;
    double fpsHint = 30;
    int audioBitrate = 128_000;
    MediaSink output;
    Consumer<VideoFrame> pictures = picture -> { };
    Clock clock = Clock.systemUTC();

    StreamProcessorBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Input queue size in packets (default 120, about 2 s of 30 fps video with audio). */
    public StreamProcessorBuilder queueCapacity(int packets) {
        this.queueCapacity = packets;
        return this;
    }

    /**
     * Items between the decoder and the stages (frames, audio packets and markers; default 8): frames that
     * wait here may hold decoder buffers, so the queue is short.
     */
    public StreamProcessorBuilder stageQueueCapacity(int items) {
        this.stageQueueCapacity = items;
        return this;
    }

    /**
     * Items between the stages and the encoder (frames and audio packets; default 32, about 0.4 s): bounds
     * the memory of decoded frames waiting for x264 (a 720p frame is 1.4 MB).
     */
    public StreamProcessorBuilder encoderQueueCapacity(int items) {
        this.encoderQueueCapacity = items;
        return this;
    }

    /**
     * Audio, codec configurations and end markers a full hand-off keeps for its next thread instead of dropping them
     * (default 256, about 5 s of AAC): past this the oldest is given up and counted as a queue drop.
     */
    public StreamProcessorBuilder rescueCapacity(int items) {
        this.rescueCapacity = items;
        return this;
    }

    /**
     * Offline sources only (files, benchmarks): {@link StreamProcessor#accept} waits for room instead of dropping. Never for
     * network sources, whose threads must not block.
     */
    public StreamProcessorBuilder blockWhenFull(boolean block) {
        this.blockWhenFull = block;
        return this;
    }

    public StreamProcessorBuilder decoder(VideoDecoder.Options options) {
        this.decoderOptions = Objects.requireNonNull(options);
        return this;
    }

    /** The largest picture the decoder accepts (the node's {@code media.maxPicture}). */
    public StreamProcessorBuilder pictureLimit(PictureLimit limit) {
        this.pictureLimit = Objects.requireNonNull(limit);
        return this;
    }

    /** The initial stages, in order; the processor owns and closes them. */
    public StreamProcessorBuilder stages(List<FrameStage> stages) {
        this.stages = List.copyOf(stages);
        return this;
    }

    /** Encoder preset, bitrate, max fps and audio mode (validated spec). */
    public StreamProcessorBuilder encoding(EncodingSpec encoding) {
        this.encoding = Objects.requireNonNull(encoding);
        return this;
    }

    /** Where IDR frames go (default: every 2 s, the default HLS segment). */
    public StreamProcessorBuilder keyframes(KeyframePolicy policy) {
        this.keyframes = Objects.requireNonNull(policy);
        return this;
    }

    /** Expected frame rate, for the encoder's rate control before any frame was seen. */
    public StreamProcessorBuilder fpsHint(double fps) {
        this.fpsHint = fps;
        return this;
    }

    /** AAC bitrate when audio is re-encoded ({@code audio: aac}). */
    public StreamProcessorBuilder audioBitrate(int bitsPerSecond) {
        this.audioBitrate = bitsPerSecond;
        return this;
    }

    public StreamProcessorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /** Receives the encoded video (avcC config, AVCC access units), the audio, and end(reason) per source. */
    public StreamProcessorBuilder output(MediaSink output) {
        this.output = Objects.requireNonNull(output);
        return this;
    }

    /**
     * Shown every picture, borrowed (copy what you keep), on the encoding thread just before it is encoded: what the
     * output looks like, for its thumbnail. It must be quick: the encoder waits for it.
     */
    public StreamProcessorBuilder pictures(Consumer<VideoFrame> pictures) {
        this.pictures = Objects.requireNonNull(pictures);
        return this;
    }

    /** Builds the processor; call {@link StreamProcessor#start()} to run it. */
    public StreamProcessor build() {
        if (output == null) {
            throw new IllegalStateException("stream " + name + ": an output sink is required");
        }
        return new StreamProcessor(this);
    }
}
