package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Invariant: the bytes a connection reserves for unfinished messages return to the node's budget when the message
 * completes, is aborted or abandoned, or the connection closes, so the budget is back to zero when nothing is held.
 */
class RtmpBufferBudgetTest {
    private final BufferBudget budget = new BufferBudget(1024 * 1024);
    private final RtmpSettings settings = RtmpSettings.defaults().withMaxMessageBytes(256 * 1024);
    private final EmbeddedChannel channel = new EmbeddedChannel(new RtmpChunkEncoder(),
            new RtmpChunkDecoder(settings, budget));

    @AfterEach
    void closeAndCheckNothingLeaks() {
        channel.finishAndReleaseAll();
        assertThat(budget.reserved()).as("reserved after the connection closed").isZero();
    }

    @Test
    void aCompletedMessageReleasesWhatItReserved() {
        channel.writeInbound(partial(4, 1000, 512));
        assertThat(budget.reserved()).isEqualTo(512);
        channel.writeInbound(rest(4, 488));
        assertThat(budget.reserved()).isZero();
        assertThat((RtmpMessage) channel.readInbound()).extracting(m -> m.payload().length).isEqualTo(1000);
    }

    @Test
    void aMessageThatArrivesWholeInOneChunkReservesNothing() {
        channel.writeInbound(partial(4, 100, 100));
        assertThat((RtmpMessage) channel.readInbound()).isNotNull();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void partOfALargeChunkIsCountedAsItArrivesNotHeldOutsideTheBudget() {
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2 (protocol control)
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(1).writeIntLE(0)      // Set Chunk Size, stream 0
                .writeInt(200_000));             // chunks of 200,000 bytes
        ByteBuf most = Unpooled.buffer()
                .writeByte(4)                    // fmt 0, chunk stream 4
                .writeMedium(0)                  // timestamp 0
                .writeMedium(100_000)            // length 100,000: one chunk
                .writeByte(9).writeIntLE(1)      // video, message stream 1
                .writeZero(99_999);              // all but its last byte
        channel.writeInbound(most);
        assertThat(budget.reserved()).isGreaterThanOrEqualTo(99_999);
        channel.writeInbound(Unpooled.buffer().writeByte(0));
        assertThat((RtmpMessage) channel.readInbound()).extracting(m -> m.payload().length).isEqualTo(100_000);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void anAbortedMessageReleasesWhatItReserved() {
        channel.writeInbound(partial(4, 1000, 256));
        channel.writeInbound(Unpooled.buffer()
                .writeByte(0x02)                 // fmt 0, chunk stream 2 (protocol control)
                .writeMedium(0).writeMedium(4)   // timestamp 0, length 4
                .writeByte(2).writeIntLE(0)      // Abort Message (RTMP spec 5.4.2), stream 0
                .writeInt(4));                   // the chunk stream to abort
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void aMessageAbandonedByANewHeaderReleasesWhatItReserved() {
        channel.writeInbound(partial(4, 100_000, 2048));
        assertThat(budget.reserved()).isEqualTo(2048);
        channel.writeInbound(partial(4, 1000, 128));     // a new type 0 header on the same chunk stream
        assertThat(budget.reserved()).isEqualTo(128);
    }

    @Test
    void aConnectionClosedMidMessageReleasesWhatItReserved() {
        channel.writeInbound(partial(4, 100_000, 156 * 128));
        channel.writeInbound(partial(5, 100_000, 156 * 128));
        assertThat(budget.reserved()).isEqualTo(2 * 32_768);  // capacity, grown by doubling
        channel.close();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void aConnectionThatHasNotPublishedIsRefusedWhenTheNodeBudgetIsSpent() {
        budget.reserve(1024 * 1024 - 1000);               // the other connections' share
        try {
            assertThatThrownBy(() -> channel.writeInbound(partial(4, 100_000, 2048)))
                    .isInstanceOf(RtmpProtocolException.class)
                    .hasMessageContaining("rtmp.max-node-buffer-bytes")
                    .extracting(e -> ((RtmpProtocolException) e).limit()).isEqualTo(RtmpLimit.NODE_BUFFER);
            assertThat(budget.reserved()).as("the refused connection holds nothing").isEqualTo(1024 * 1024 - 1000);
        } finally {
            budget.release(1024 * 1024 - 1000);
        }
    }

    @Test
    void anAcceptedPublisherIsCountedButNeverRefusedByTheNodeBudget() {
        budget.reserve(1024 * 1024);                      // the other connections hold it all
        try {
            channel.pipeline().fireUserEventTriggered(RtmpServerSession.PUBLISH_STARTED);
            channel.writeInbound(partial(4, 100_000, 2048));
            assertThat(budget.reserved()).isEqualTo(1024 * 1024 + 2048);
        } finally {
            budget.release(1024 * 1024);
        }
    }

    @Test
    void aConnectionPastItsOwnBufferIsRefusedWithItsOwnReason() {
        EmbeddedChannel small = new EmbeddedChannel(new RtmpChunkEncoder(), new RtmpChunkDecoder(
                settings.withMaxConnectionBufferBytes(256 * 1024), budget));
        small.writeInbound(partial(4, 200_000, 1171 * 128)); // capacity 200,000
        assertThatThrownBy(() -> small.writeInbound(partial(5, 200_000, 469 * 128)))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("rtmp.max-connection-buffer-bytes")
                .extracting(e -> ((RtmpProtocolException) e).limit()).isEqualTo(RtmpLimit.CONNECTION_BUFFER);
        assertThat(budget.reserved()).as("a protocol error releases at once").isZero();
        small.finishAndReleaseAll();
    }

    /**
     * The first {@code sent} bytes of a video message of {@code length} bytes, in 128-byte chunks; whole chunks
     * only (spec 5.3.2.2), so another chunk stream's header may follow.
     */
    private static ByteBuf partial(int csid, int length, int sent) {
        assertThat(sent % 128 == 0 || sent == length).as("whole chunks").isTrue();
        ByteBuf b = Unpooled.buffer();
        b.writeByte(csid)                        // fmt 0, chunk stream csid
                .writeMedium(0)                  // timestamp 0
                .writeMedium(length)             // message length
                .writeByte(9).writeIntLE(1);     // video, message stream 1
        b.writeZero(Math.min(128, sent));
        return b.writeBytes(rest(csid, sent - Math.min(128, sent)));
    }

    /** {@code bytes} more of the unfinished message on {@code csid}, in 128-byte type 3 chunks. */
    private static ByteBuf rest(int csid, int bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int offset = 0; offset < bytes; offset += 128) {
            b.writeByte(0xC0 | csid);            // fmt 3: continues the message
            b.writeZero(Math.min(128, bytes - offset));
        }
        return b;
    }
}
