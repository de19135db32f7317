package com.streamloom.media.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Fuzzes the parsers a publisher controls: chunk decoder, AMF0 reader and FLV tag parsing. The only exception any
 * input may produce is {@link RtmpProtocolException}; anything else (an index error, an out-of-memory, a Netty
 * complaint about a misbehaving decoder) fails the test.
 *
 * <p>Plain {@code mvn test} replays the seeds in {@code RtmpParserFuzzTestInputs/} (Jazzer's regression mode);
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class RtmpParserFuzzTest {
    private static final RtmpSettings SETTINGS = RtmpSettings.defaults().withMaxMessageBytes(64 * 1024);

    @FuzzTest(maxDuration = "30s")
    void parsersThrowOnlyProtocolExceptions(byte[] data) {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkEncoder(), new RtmpChunkDecoder(SETTINGS));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(data));
        } catch (RtmpProtocolException expected) {
            // bad input, rejected: fine
        }
        Object o;
        while ((o = channel.readInbound()) != null) {
            RtmpMessage m = (RtmpMessage) o;
            try {
                Amf0Reader.readAll(m.payload(), SETTINGS.maxAmfDepth());
            } catch (RtmpProtocolException expected) {
                // bad AMF0: fine
            }
            try {
                FlvTags.videoPacket(m.payload(), m.timestamp() * 1000);
                FlvTags.audioPacket(m.payload(), m.timestamp() * 1000);
            } catch (RtmpProtocolException expected) {
                // bad FLV header: fine
            }
        }
        try {
            Amf0Reader.readAll(data, SETTINGS.maxAmfDepth());
        } catch (RtmpProtocolException expected) {
            // the raw input as AMF0: usually bad, fine
        }
        channel.finishAndReleaseAll();
    }
}
