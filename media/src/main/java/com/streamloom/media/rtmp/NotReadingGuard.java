package com.streamloom.media.rtmp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;

/**
 * Queues no reply while the socket is not writable: a peer that makes us write (pings, commands, acknowledgements)
 * while it does not read what we wrote would otherwise grow our outbound buffer without bound. Such a write closes
 * the connection instead; there is no point in a status the peer will not read. The first handler of a
 * connection's pipeline after TLS, so every write of every handler passes it.
 */
final class NotReadingGuard extends ChannelOutboundHandlerAdapter {
    private final RtmpRejections rejections;

    NotReadingGuard(RtmpRejections rejections) {
        this.rejections = rejections;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (ctx.channel().isWritable()) {
            super.write(ctx, msg, promise);
            return;
        }
        ReferenceCountUtil.release(msg);
        promise.tryFailure(new ClosedChannelException());
        rejections.reject(ctx.channel(), RtmpLimit.NOT_READING,
                "it does not read what the server writes (outbound buffer full)");
        ctx.close();
    }
}
