package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The RTMP handshake (RTMP spec 5.2), server or client side, as a one-shot handler that removes itself when done;
 * bytes that arrive behind the handshake are passed on to the chunk decoder.
 *
 * <p>Server: reads C0+C1, answers S0+S1+S2 (S2 echoes C1), reads C2. Client: sends C0+C1 on connect, reads S0+S1,
 * sends C2 (echoing S1), reads S2. This is the "simple" handshake: S1/C1 carry zeros in bytes 4-7, which tells
 * librtmp-based clients (OBS) and FFmpeg not to expect the digest variant. C2/S2 contents are not checked, as
 * real clients fill them inconsistently. When done it fires {@link #COMPLETED} as a user event. A peer that does
 * not finish within the timeout is disconnected.
 */
public final class RtmpHandshakeHandler extends ByteToMessageDecoder {
    /** User event fired once the handshake is done. */
    public static final Object COMPLETED = new Object() {
        @Override
        public String toString() {
            return "RTMP handshake completed";
        }
    };

    /** Spec 5.2.2: version 3 is plain RTMP (6 would be RTMPE, which we do not speak). */
    static final int RTMP_VERSION = 3;
    /** Spec 5.2.3: C1/S1/C2/S2 are 1536 bytes each. */
    static final int HANDSHAKE_SIZE = 1536;

    private enum State { AWAIT_VERSION_AND_PEER_RANDOM, AWAIT_ECHO, DONE }

    private final boolean server;
    private final Duration timeout;
    private State state = State.AWAIT_VERSION_AND_PEER_RANDOM;
    private ScheduledFuture<?> timeoutTask;
    private boolean started;

    private RtmpHandshakeHandler(boolean server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
    }

    public static RtmpHandshakeHandler forServer(Duration timeout) {
        return new RtmpHandshakeHandler(true, timeout);
    }

    public static RtmpHandshakeHandler forClient(Duration timeout) {
        return new RtmpHandshakeHandler(false, timeout);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        begin(ctx);
        super.channelActive(ctx);
    }

    /** Starts the timeout and, on the client, sends C0+C1; once, whether added before or after connecting. */
    private void begin(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        timeoutTask = ctx.executor().schedule(() -> {
            if (state != State.DONE) {
                ctx.fireExceptionCaught(new RtmpProtocolException(
                        "handshake not completed within " + timeout.toMillis() + " ms (rtmp.handshake-timeout)"));
                ctx.close();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (!server) {
            ByteBuf c0c1 = ctx.alloc().buffer(1 + HANDSHAKE_SIZE);
            c0c1.writeByte(RTMP_VERSION);
            writeRandomPart(c0c1);
            ctx.writeAndFlush(c0c1);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case AWAIT_VERSION_AND_PEER_RANDOM -> {
                if (!in.isReadable()) {
                    return;
                }
                int version = in.getUnsignedByte(in.readerIndex());
                if (version != RTMP_VERSION) {
                    state = State.DONE;
                    in.skipBytes(in.readableBytes());
                    throw new RtmpProtocolException("unsupported RTMP version " + version
                            + " in the handshake, only version 3 is supported (RTMP spec 5.2.2)");
                }
                if (in.readableBytes() < 1 + HANDSHAKE_SIZE) {
                    return;
                }
                in.skipBytes(1);
                ByteBuf peerRandom = in.readSlice(HANDSHAKE_SIZE);
                if (server) {
                    ByteBuf s0s1s2 = ctx.alloc().buffer(1 + 2 * HANDSHAKE_SIZE);
                    s0s1s2.writeByte(RTMP_VERSION);
                    writeRandomPart(s0s1s2);
                    s0s1s2.writeBytes(peerRandom);
                    ctx.writeAndFlush(s0s1s2);
                } else {
                    ctx.writeAndFlush(peerRandom.retainedDuplicate());
                }
                state = State.AWAIT_ECHO;
            }
            case AWAIT_ECHO -> {
                if (in.readableBytes() < HANDSHAKE_SIZE) {
                    return;
                }
                in.skipBytes(HANDSHAKE_SIZE);
                state = State.DONE;
                cancelTimeout();
                ctx.fireUserEventTriggered(COMPLETED);
                // Removal hands any bytes already received behind the handshake to the next handler.
                ctx.pipeline().remove(this);
            }
            case DONE -> in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void cancelTimeout() {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
            timeoutTask = null;
        }
    }

    /** C1/S1 (spec 5.2.3): 4 bytes time, 4 bytes zero, 1528 random bytes. */
    private static void writeRandomPart(ByteBuf out) {
        out.writeInt((int) System.currentTimeMillis());
        out.writeInt(0);
        byte[] random = new byte[HANDSHAKE_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        out.writeBytes(random);
    }
}
