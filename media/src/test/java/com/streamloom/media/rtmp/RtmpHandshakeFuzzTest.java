package com.streamloom.media.rtmp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server handshake (RTMP spec 5.2), fed any bytes in any split: it refuses anything but version 3 with
 * {@link RtmpProtocolException} and nothing else, answers S0+S1+S2 (S2 echoing C1) only to a whole C0+C1, completes
 * only after C2, and hands exactly the bytes behind C2 to the next handler.
 */
class RtmpHandshakeFuzzTest {
    private static final int C0_C1 = 1 + RtmpHandshakeHandler.HANDSHAKE_SIZE;
    private static final int C0_C1_C2 = C0_C1 + RtmpHandshakeHandler.HANDSHAKE_SIZE;

    @FuzzTest(maxDuration = "30s")
    void handshakeAnswersOnlyWellFormedPeers(FuzzedDataProvider fuzz) {
        // delivered in pieces whose size the input chooses, as TCP may split them
        int piece = fuzz.consumeInt(1, 2 * C0_C1_C2);
        // the peer's bytes may start with a real C0+C1, so the fuzzer reaches the later states quickly
        byte[] data = fuzz.consumeBoolean()
                ? concat(wellFormedC0C1(fuzz.consumeByte()), fuzz.consumeRemainingAsBytes())
                : fuzz.consumeRemainingAsBytes();
        ByteArrayOutputStream passedOn = new ByteArrayOutputStream();
        boolean[] completed = new boolean[1];
        EmbeddedChannel channel = new EmbeddedChannel(RtmpHandshakeHandler.forServer(Duration.ofMinutes(1)),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf bytes = (ByteBuf) msg;
                        passedOn.writeBytes(ByteBufUtil.getBytes(bytes));
                        bytes.release();
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        completed[0] |= evt == RtmpHandshakeHandler.COMPLETED;
                    }
                });
        boolean refused = false;
        int offset = 0;
        while (offset < data.length && !refused) {
            int n = Math.min(piece, data.length - offset);
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(data, offset, n));
            } catch (RtmpProtocolException e) {
                refused = true;
            }
            offset += n;
        }
        boolean version3 = data.length > 0 && data[0] == RtmpHandshakeHandler.RTMP_VERSION;
        assertThat(refused).isEqualTo(data.length > 0 && !version3);
        ByteBuf answer = channel.readOutbound();
        if (version3 && data.length >= C0_C1) {
            assertThat(answer.readableBytes()).isEqualTo(1 + 2 * RtmpHandshakeHandler.HANDSHAKE_SIZE);
            assertThat(ByteBufUtil.getBytes(answer, 1 + RtmpHandshakeHandler.HANDSHAKE_SIZE,
                    RtmpHandshakeHandler.HANDSHAKE_SIZE)).isEqualTo(Arrays.copyOfRange(data, 1, C0_C1));
            answer.release();
        } else {
            assertThat(answer).isNull();
        }
        assertThat(completed[0]).isEqualTo(version3 && data.length >= C0_C1_C2);
        byte[] behindC2 = completed[0] ? Arrays.copyOfRange(data, C0_C1_C2, data.length) : new byte[0];
        assertThat(passedOn.toByteArray()).isEqualTo(behindC2);
        channel.finishAndReleaseAll();
    }

    private static byte[] wellFormedC0C1(byte fill) {
        byte[] c0c1 = new byte[C0_C1];
        Arrays.fill(c0c1, fill);
        c0c1[0] = RtmpHandshakeHandler.RTMP_VERSION;
        return c0c1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
