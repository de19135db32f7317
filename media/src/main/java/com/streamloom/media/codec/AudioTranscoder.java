package com.streamloom.media.codec;

import com.streamloom.media.packet.MediaPacket;

import java.util.function.Consumer;

/**
 * The {@code aac} audio mode of {@link com.streamloom.spec.EncodingSpec}: AAC packets are decoded and encoded again
 * with FFmpeg's native AAC encoder (for sources whose AAC profile or rate players dislike, or to set the bitrate).
 * Timestamps continue the source's clock. Not thread-safe: the stream thread owns it.
 */
public final class AudioTranscoder implements AutoCloseable {
    private final AudioDecoder decoder = new AudioDecoder();
    private final AudioEncoder encoder;

    public AudioTranscoder(int bitrate) {
        this.encoder = new AudioEncoder(bitrate);
    }

    /** Feeds one source AAC packet (config or media); re-encoded packets go to {@code out}. */
    public void transcode(MediaPacket p, Consumer<MediaPacket> out) {
        decoder.decode(p, frame -> encoder.encode(frame, out));
    }

    /** End of source: emits all buffered audio. */
    public void flush(Consumer<MediaPacket> out) {
        decoder.flush(frame -> encoder.encode(frame, out));
        encoder.flush(out);
    }

    public long corruptPackets() {
        return decoder.corruptPackets();
    }

    @Override
    public void close() {
        decoder.close();
        encoder.close();
    }
}
