package com.streamloom.node.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every accepted connection (closest to the socket), holding the two per-connection limits
 * that HTTP codecs cannot see:
 * <ul>
 *   <li>a request head must arrive within {@link HttpServerSettings#headerTimeout()} of its first byte (of the
 *       connection's opening for the first one, TLS handshake included), so a client that sends its headers byte
 *       by byte (slowloris) cannot hold the connection: a byte per second resets an idle timeout, not this one;</li>
 *   <li>at most {@link HttpServerSettings#maxQueuedBytes()} may wait unsent: a write that finds more queued
 *       closes the connection instead of buffering for a client that does not read (pipelined requests are
 *       answered one after another, so without this their answers would pile up in memory).</li>
 * </ul>
 * The server tells it where requests begin and end ({@link #headReceived}, {@link #requestDone}); an HTTP/2
 * connection ({@link #multiplexed}) has no head timeout, its streams are bounded by HTTP/2's own settings.
 * All methods run on the channel's event loop.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final long headerTimeoutNanos;
    private final long maxQueuedBytes;
    private ScheduledFuture<?> deadline;
    private boolean busy;
    private boolean multiplexed;

    ConnectionGuard(HttpServerSettings settings) {
        this.headerTimeoutNanos = settings.headerTimeout().toNanos();
        this.maxQueuedBytes = settings.maxQueuedBytes();
    }

    /** The guard of a connection, or null for a channel not accepted by a guarded server. */
    static ConnectionGuard of(Channel channel) {
        return channel.pipeline().get(ConnectionGuard.class);
    }

    /** Bytes written to the connection and not yet taken by the socket. */
    static long queuedBytes(Channel channel) {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** A whole request head was parsed: the head deadline is met. */
    void headReceived() {
        busy = true;
        cancelDeadline();
    }

    /** The answer was written: the next byte starts the next head's deadline. */
    void requestDone() {
        busy = false;
    }

    /** The connection speaks HTTP/2: no head deadline from now on. */
    void multiplexed() {
        multiplexed = true;
        cancelDeadline();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!busy && !multiplexed && deadline == null) {
            arm(ctx);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long queued = queuedBytes(ctx.channel());
        if (queued > maxQueuedBytes) {
            log.debug("HTTP connection {} closed: {} bytes unread by the client", ctx.channel().remoteAddress(),
                    queued);
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new IOException("client does not read: " + queued + " bytes queued"));
            ctx.close();
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        if (multiplexed) {
            return;
        }
        deadline = ctx.executor().schedule(() -> {
            deadline = null;
            if (!busy && !multiplexed) {
                log.debug("HTTP connection {} closed: no request head within {} ms", ctx.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos));
                ctx.close();
            }
        }, headerTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
