package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the encoder writes, at any chunk size and split into any reads, the decoder gives back unchanged. */
class RtmpChunkCodecRoundTripTest {

    @Property(tries = 200)
    void decoderReturnsWhatTheEncoderWrote(@ForAll("messages") @Size(min = 1, max = 8) List<RtmpMessage> messages,
                                           @ForAll @IntRange(min = 1, max = 5000) int chunkSize,
                                           @ForAll @IntRange(min = 1, max = 700) int readSize) {
        EmbeddedChannel sender = new EmbeddedChannel(new RtmpChunkEncoder());
        EmbeddedChannel receiver = new EmbeddedChannel(new RtmpChunkEncoder(),
                new RtmpChunkDecoder(RtmpSettings.defaults()));
        sender.writeOutbound(RtmpMessage.setChunkSize(chunkSize));
        for (RtmpMessage m : messages) {
            sender.writeOutbound(m);
        }
        Object o;
        while ((o = sender.readOutbound()) != null) {
            ByteBuf bytes = (ByteBuf) o;
            while (bytes.isReadable()) {
                receiver.writeInbound(bytes.readRetainedSlice(Math.min(readSize, bytes.readableBytes())));
            }
            bytes.release();
        }
        List<RtmpMessage> decoded = new ArrayList<>();
        while ((o = receiver.readInbound()) != null) {
            decoded.add((RtmpMessage) o);
        }
        assertThat(decoded).containsExactlyElementsOf(messages);
        assertThat(((RtmpChunkDecoder) receiver.pipeline().get(RtmpChunkDecoder.class)).chunkSize())
                .isEqualTo(chunkSize);
    }

    @Provide
    Arbitrary<List<RtmpMessage>> messages() {
        Arbitrary<Integer> csid = Arbitraries.oneOf(Arbitraries.integers().between(3, 63),
                Arbitraries.integers().between(64, 400), Arbitraries.integers().between(65000, 65599));
        Arbitrary<Integer> type = Arbitraries.of(8, 9, 18, 20, 22, 100);
        Arbitrary<Long> timestamp = Arbitraries.oneOf(Arbitraries.longs().between(0, 0xFFFFFE),
                Arbitraries.longs().between(0xFFFFFF, 0xFFFFFFFFL));
        Arbitrary<Integer> streamId = Arbitraries.integers().between(0, 10);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        return Combinators.combine(csid, type, timestamp, streamId, payload).as(RtmpMessage::new).list();
    }
}
