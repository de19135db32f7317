package com.streamloom.media.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunk decoder and the FLV tag parsing behind it reject any byte stream a publisher sends with
 * {@link RtmpProtocolException} and nothing else, and never hand on a message larger than rtmp.max-message-bytes.
 *
 * <p>Plain {@code mvn test} replays the corpus in {@code RtmpChunkDecoderFuzzTestInputs/}; {@code -Dfuzz} fuzzes.
 */
class RtmpChunkDecoderFuzzTest {
    private static final RtmpSettings SETTINGS = RtmpSettings.defaults().withMaxMessageBytes(64 * 1024);

    @FuzzTest(maxDuration = "30s")
    void decoderThrowsOnlyProtocolExceptions(byte[] data) {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkEncoder(), new RtmpChunkDecoder(SETTINGS));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(data));
        } catch (RtmpProtocolException expected) {
            // bad input, rejected: fine
        }
        Object o;
        while ((o = channel.readInbound()) != null) {
            RtmpMessage m = (RtmpMessage) o;
            assertThat(m.payload().length).isLessThanOrEqualTo(SETTINGS.maxMessageBytes());
            try {
                FlvTags.videoPacket(m.payload(), m.timestamp() * 1000);
                FlvTags.audioPacket(m.payload(), m.timestamp() * 1000);
            } catch (RtmpProtocolException expected) {
                // bad FLV header: fine
            }
        }
        channel.finishAndReleaseAll();
    }
}
