package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RTMP spec 5.2 handshake, server and client side. */
class RtmpHandshakeHandlerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void answersC0C1WithS0S1S2EchoingC1AndPassesLaterBytesOn() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(RtmpHandshakeHandler.forServer(TIMEOUT), recordEvents(events));
        byte[] c1 = new byte[1536];
        c1[100] = 42;
        ch.writeInbound(Unpooled.buffer()
                .writeByte(3)                    // C0: version 3
                .writeBytes(c1));                // C1: time, zero, random (byte 100 marked)
        ByteBuf s = ch.readOutbound();
        assertThat((int) s.readUnsignedByte()).isEqualTo(3);            // S0: version 3
        assertThat(s.getInt(s.readerIndex() + 4)).isZero();            // S1 bytes 4-7 zero: simple handshake
        s.skipBytes(1536);                                              // S1
        assertThat(ByteBufUtil.getBytes(s)).isEqualTo(c1);              // S2 echoes C1
        s.release();
        ch.writeInbound(Unpooled.buffer()
                .writeZero(1536)                 // C2
                .writeByte(0x03));               // first byte of the chunk stream, right behind C2
        assertThat(events).containsExactly(RtmpHandshakeHandler.COMPLETED);
        assertThat(ch.pipeline().get(RtmpHandshakeHandler.class)).isNull();
        ByteBuf after = ch.readInbound();
        assertThat((int) after.readUnsignedByte()).isEqualTo(0x03);
        after.release();
    }

    @Test
    void rejectsBrokenHandshakeWithWrongVersion() {
        EmbeddedChannel ch = new EmbeddedChannel(RtmpHandshakeHandler.forServer(TIMEOUT));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer()
                .writeByte(6)                    // C0: version 6 (RTMPE), not plain RTMP
                .writeZero(1536)))               // C1
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("unsupported RTMP version 6");
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void rejectsAnHttpRequestSentToTheRtmpPort() {
        EmbeddedChannel ch = new EmbeddedChannel(RtmpHandshakeHandler.forServer(TIMEOUT));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n",
                java.nio.charset.StandardCharsets.US_ASCII)))   // 'G' = 0x47 where the version byte belongs
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("unsupported RTMP version 71");
    }

    @Test
    void closesWhenTheHandshakeTimesOut() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(RtmpHandshakeHandler.forServer(TIMEOUT));
        ch.writeInbound(Unpooled.buffer()
                .writeByte(3)                    // C0
                .writeZero(100));                // a slow client: C1 never completes
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThatThrownBy(ch::checkException).hasMessageContaining("rtmp.handshake-timeout");
    }

    @Test
    void clientAndServerHandshakeWithEachOther() {
        List<Object> clientEvents = new ArrayList<>();
        List<Object> serverEvents = new ArrayList<>();
        EmbeddedChannel client = new EmbeddedChannel(RtmpHandshakeHandler.forClient(TIMEOUT),
                recordEvents(clientEvents));
        EmbeddedChannel server = new EmbeddedChannel(RtmpHandshakeHandler.forServer(TIMEOUT),
                recordEvents(serverEvents));
        for (int round = 0; round < 3; round++) {
            shuttle(client, server);
            shuttle(server, client);
        }
        assertThat(clientEvents).containsExactly(RtmpHandshakeHandler.COMPLETED);
        assertThat(serverEvents).containsExactly(RtmpHandshakeHandler.COMPLETED);
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        Object o;
        while ((o = from.readOutbound()) != null) {
            to.writeInbound(o);
        }
    }

    private static ChannelInboundHandlerAdapter recordEvents(List<Object> events) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        };
    }
}
