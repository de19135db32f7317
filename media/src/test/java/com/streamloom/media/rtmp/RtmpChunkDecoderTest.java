package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per chunk stream rule (RTMP spec 5.3, 5.4), bytes written field by field. */
class RtmpChunkDecoderTest {
    private final RtmpSettings settings = RtmpSettings.defaults();
    private final EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkEncoder(), new RtmpChunkDecoder(settings));

    @Test
    void decodesOneChunkMessageWithFullHeader() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x03)                 // basic header: fmt 0, chunk stream 3
                .writeMedium(1000)               // timestamp 1000 ms
                .writeMedium(3)                  // message length 3
                .writeByte(20)                   // type: AMF0 command
                .writeIntLE(1)                   // message stream id 1 (little-endian)
                .writeBytes(new byte[] {7, 8, 9}));  // payload
        RtmpMessage m = channel.readInbound();
        assertThat(m).isEqualTo(new RtmpMessage(3, 20, 1000, 1, new byte[] {7, 8, 9}));
    }

    @Test
    void reassemblesAMessageFromChunksOfTheDefaultSize() {
        ByteBuf in = Unpooled.buffer()
                .writeByte(0x04)                 // basic header: fmt 0, chunk stream 4
                .writeMedium(0)                  // timestamp 0
                .writeMedium(200)                // message length 200: 128 + 72 at the default chunk size
                .writeByte(9)                    // type: video
                .writeIntLE(1)                   // message stream id 1
                .writeZero(128)                  // first chunk payload
                .writeByte(0xC4)                 // basic header: fmt 3 (continuation), chunk stream 4
                .writeZero(72);                  // last chunk payload
        channel.writeInbound(in);
        RtmpMessage m = channel.readInbound();
        assertThat(m.payload()).hasSize(200);
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void decodesTwoAndThreeByteBasicHeaders() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x00)                 // basic header: fmt 0, id 0 = one more byte follows
                .writeByte(100)                  // chunk stream 64 + 100 = 164
                .writeMedium(0).writeMedium(0)   // timestamp 0, length 0
                .writeByte(18).writeIntLE(1)     // type data, stream 1
                .writeByte(0x01)                 // basic header: fmt 0, id 1 = two more bytes follow
                .writeByte(0x10)                 // low byte of (csid - 64)
                .writeByte(0x01)                 // high byte: csid = 64 + 0x0110 = 336
                .writeMedium(0).writeMedium(0)   // timestamp 0, length 0
                .writeByte(18).writeIntLE(1));   // type data, stream 1
        assertThat(((RtmpMessage) channel.readInbound()).chunkStreamId()).isEqualTo(164);
        assertThat(((RtmpMessage) channel.readInbound()).chunkStreamId()).isEqualTo(336);
    }

    @Test
    void addsDeltasOfType1Type2AndType3Headers() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x06)                 // fmt 0, chunk stream 6
                .writeMedium(100)                // absolute timestamp 100
                .writeMedium(1).writeByte(9)     // length 1, video
                .writeIntLE(1)                   // stream 1
                .writeByte(0xAA)                 // payload
                .writeByte(0x46)                 // fmt 1, chunk stream 6
                .writeMedium(33)                 // timestamp delta 33
                .writeMedium(1).writeByte(9)     // length 1, video
                .writeByte(0xBB)                 // payload
                .writeByte(0x86)                 // fmt 2, chunk stream 6
                .writeMedium(34)                 // timestamp delta 34
                .writeByte(0xCC)                 // payload (length and type as before)
                .writeByte(0xC6)                 // fmt 3: a new message repeating the last delta (spec 5.3.1.2.4)
                .writeByte(0xDD));               // payload
        assertThat(((RtmpMessage) channel.readInbound()).timestamp()).isEqualTo(100);
        assertThat(((RtmpMessage) channel.readInbound()).timestamp()).isEqualTo(133);
        assertThat(((RtmpMessage) channel.readInbound()).timestamp()).isEqualTo(167);
        assertThat(((RtmpMessage) channel.readInbound()).timestamp()).isEqualTo(201);
    }

    @Test
    void readsExtendedTimestampsAlsoOnType3Chunks() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x04)                 // fmt 0, chunk stream 4
                .writeMedium(0xFFFFFF)           // timestamp field: extended timestamp follows
                .writeMedium(130)                // length 130: two chunks at size 128
                .writeByte(8)                    // audio
                .writeIntLE(1)                   // stream 1
                .writeInt(0x12345678)            // extended timestamp
                .writeZero(128)                  // first chunk payload
                .writeByte(0xC4)                 // fmt 3 continuation, chunk stream 4
                .writeInt(0x12345678)            // extended timestamp repeated (spec 5.3.1.3)
                .writeZero(2));                  // last chunk payload
        RtmpMessage m = channel.readInbound();
        assertThat(m.timestamp()).isEqualTo(0x12345678L);
        assertThat(m.payload()).hasSize(130);
    }

    @Test
    void waitsForTheWholeHeaderWhenBytesArriveOneByOne() {
        ByteBuf in = Unpooled.buffer()
                .writeByte(0x03)                 // fmt 0, chunk stream 3
                .writeMedium(0xFFFFFF)           // extended timestamp follows
                .writeMedium(2).writeByte(20)    // length 2, command
                .writeIntLE(0)                   // stream 0
                .writeInt(0x01000000)            // extended timestamp
                .writeByte(5).writeByte(5);      // payload
        while (in.isReadable()) {
            channel.writeInbound(in.readRetainedSlice(1));
        }
        in.release();
        RtmpMessage m = channel.readInbound();
        assertThat(m.timestamp()).isEqualTo(0x01000000L);
    }

    @Test
    void rejectsChunkSizeZero() {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2 (protocol control)
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(1)                    // Set Chunk Size
                .writeIntLE(0)                   // stream 0
                .writeInt(0)))                   // chunk size 0: invalid (spec 5.4.1)
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("invalid chunk size 0");
    }

    @Test
    void rejectsChunkSizeWithTheFirstBitSet() {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(1)                    // Set Chunk Size
                .writeIntLE(0)                   // stream 0
                .writeInt(0x80000000)))          // first bit set: invalid (spec 5.4.1)
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("invalid chunk size");
    }

    @Test
    void rejectsChunkSizeAboveTheSetting() {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(1)                    // Set Chunk Size
                .writeIntLE(0)                   // stream 0
                .writeInt(0x7FFFFFFF)))          // legal for the spec, above rtmp.max-chunk-size
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("rtmp.max-chunk-size");
    }

    @Test
    void appliesSetChunkSizeToTheFollowingChunks() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(1)                    // Set Chunk Size
                .writeIntLE(0)                   // stream 0
                .writeInt(4096)                  // new chunk size 4096
                .writeByte(0x06)                 // fmt 0, chunk stream 6
                .writeMedium(0).writeMedium(300) // timestamp 0, length 300: one chunk now
                .writeByte(9).writeIntLE(1)      // video, stream 1
                .writeZero(300));                // payload
        assertThat(((RtmpMessage) channel.readInbound()).payload()).hasSize(300);
    }

    @Test
    void rejectsDeclaredLength0xFFFFFFOverTheLimit() {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer()
                .writeByte(0x06)                 // fmt 0, chunk stream 6
                .writeMedium(0)                  // timestamp 0
                .writeMedium(0xFFFFFF)           // message length 16 MiB - 1, above rtmp.max-message-bytes
                .writeByte(9)                    // video
                .writeIntLE(1)))                 // stream 1
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("declared message length 16777215")
                .hasMessageContaining("rtmp.max-message-bytes");
    }

    @Test
    void rejectsAChunkStreamThatStartsWithoutAFullHeader() {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer()
                .writeByte(0x47)                 // fmt 1 on chunk stream 7, never seen before
                .writeMedium(40)                 // timestamp delta
                .writeMedium(1).writeByte(9)     // length 1, video
                .writeByte(0)))                  // payload
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("must carry a full type 0 header");
    }

    @Test
    void rejectsMoreChunkStreamsThanTheLimit() {
        ByteBuf in = Unpooled.buffer();
        for (int csid = 3; csid < 3 + settings.maxChunkStreams() + 1; csid++) {
            in.writeByte(0x00).writeByte(csid)   // fmt 0, two-byte basic header, a new chunk stream each
                    .writeMedium(0).writeMedium(0)   // timestamp 0, length 0
                    .writeByte(18).writeIntLE(1);    // data, stream 1
        }
        assertThatThrownBy(() -> channel.writeInbound(in))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("rtmp.max-chunk-streams");
    }

    @Test
    void abortDiscardsThePartialMessage() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x06)                 // fmt 0, chunk stream 6
                .writeMedium(0).writeMedium(200) // timestamp 0, length 200
                .writeByte(9).writeIntLE(1)      // video, stream 1
                .writeZero(128)                  // first chunk only
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(2).writeIntLE(0)      // Abort Message, stream 0
                .writeInt(6)                     // abort chunk stream 6
                .writeByte(0x06)                 // fmt 0, chunk stream 6: a fresh message
                .writeMedium(40).writeMedium(1)  // timestamp 40, length 1
                .writeByte(9).writeIntLE(1)      // video, stream 1
                .writeByte(0x17));               // payload
        RtmpMessage m = channel.readInbound();
        assertThat(m.timestamp()).isEqualTo(40);
        assertThat(m.payload()).containsExactly(0x17);
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void acknowledgesOnceTheWindowIsReceived() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(5).writeIntLE(0)      // Window Acknowledgement Size, stream 0
                .writeInt(100));                 // window: 100 bytes
        assertThat((Object) channel.readOutbound()).isNull();
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x06)                 // fmt 0, chunk stream 6
                .writeMedium(0).writeMedium(100) // timestamp 0, length 100
                .writeByte(9).writeIntLE(1)      // video, stream 1
                .writeZero(100));                // payload
        ByteBuf ack = channel.readOutbound();
        assertThat((int) ack.readUnsignedByte()).isEqualTo(0x02); // fmt 0, chunk stream 2
        ack.skipBytes(3);                                       // timestamp
        assertThat(ack.readUnsignedMedium()).isEqualTo(4);      // length 4
        assertThat((int) ack.readUnsignedByte()).isEqualTo(3);  // Acknowledgement
        ack.skipBytes(4);                                       // stream 0
        assertThat(ack.readInt()).isEqualTo(16 + 12 + 100);     // bytes received so far
        ack.release();
    }

    @Test
    void answersPingRequestWithPingResponse() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(6)   // timestamp 0, length 6
                .writeByte(4).writeIntLE(0)      // User Control, stream 0
                .writeShort(6)                   // event: PingRequest
                .writeInt(777));                 // ping timestamp
        ByteBuf pong = channel.readOutbound();
        pong.skipBytes(1 + 3 + 3);                              // basic header, timestamp, length
        assertThat((int) pong.readUnsignedByte()).isEqualTo(4);       // User Control
        pong.skipBytes(4);                                      // stream 0
        assertThat(pong.readShort()).isEqualTo((short) 7);      // PingResponse
        assertThat(pong.readInt()).isEqualTo(777);              // same timestamp
        pong.release();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void passesStreamBeginOn() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(6)   // timestamp 0, length 6
                .writeByte(4).writeIntLE(0)      // User Control, stream 0
                .writeShort(0)                   // event: Stream Begin
                .writeInt(1));                   // stream 1
        RtmpMessage m = channel.readInbound();
        assertThat(m.type()).isEqualTo(RtmpMessageType.USER_CONTROL);
    }

    @Test
    void answersSetPeerBandwidthWithWindowAckSize() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(5)   // timestamp 0, length 5
                .writeByte(6).writeIntLE(0)      // Set Peer Bandwidth, stream 0
                .writeInt(2_500_000)             // window size
                .writeByte(2));                  // limit type: dynamic
        ByteBuf reply = channel.readOutbound();
        reply.skipBytes(1 + 3 + 3);                             // basic header, timestamp, length
        assertThat((int) reply.readUnsignedByte()).isEqualTo(5);      // Window Acknowledgement Size
        reply.skipBytes(4);                                     // stream 0
        assertThat(reply.readInt()).isEqualTo(2_500_000);
        reply.release();
    }

    @Test
    void rejectsShortControlMessages() {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2
                .writeMedium(0).writeMedium(2)   // timestamp 0, length 2: too short for a Set Chunk Size
                .writeByte(1).writeIntLE(0)      // Set Chunk Size, stream 0
                .writeShort(4096)))              // half a chunk size
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("too short");
    }

    @Test
    void rejectsManyUnfinishedMessagesHeldAtOnce() {
        EmbeddedChannel small = new EmbeddedChannel(new RtmpChunkEncoder(),
                new RtmpChunkDecoder(settings.withMaxMessageBytes(1000)));
        ByteBuf in = Unpooled.buffer();
        for (int csid = 3; csid < 3 + 20; csid++) {
            in.writeByte(csid)                   // fmt 0, a new chunk stream each
                    .writeMedium(0)              // timestamp 0
                    .writeMedium(1000)           // length 1000, allowed
                    .writeByte(9).writeIntLE(1)  // video, stream 1
                    .writeZero(128);             // only the first chunk: the message stays unfinished
        }
        assertThatThrownBy(() -> small.writeInbound(in))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("unfinished messages");
    }
}
