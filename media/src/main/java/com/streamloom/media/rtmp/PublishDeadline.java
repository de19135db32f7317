package com.streamloom.media.rtmp;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * [rtmp.publish-timeout]: every legitimate client of a node publishes, so a connection that has no publish accepted
 * within the timeout of connecting only holds a slot (and perhaps buffered bytes) and is closed: with an error
 * status when the handshake is done (RTMP can say why), else just closed. The same holds after the client's last
 * publication ends while it keeps the connection: it must publish again within the timeout. Sits behind the
 * session, whose {@link RtmpServerSession#PUBLISH_STARTED} event ends the deadline and whose
 * {@link RtmpServerSession#PUBLISH_ENDED} event starts it again.
 */
final class PublishDeadline extends ChannelInboundHandlerAdapter {
    private final RtmpServerGuards guards;
    private ScheduledFuture<?> deadline;
    private boolean started;
    private boolean handshaken;

    PublishDeadline(RtmpServerGuards guards) {
        this.guards = guards;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        schedule(ctx, "connecting");
    }

    /** @param since what the timeout counts from, for the error text */
    private void schedule(ChannelHandlerContext ctx, String since) {
        cancel();
        long millis = guards.settings().publishTimeout().toMillis();
        deadline = ctx.executor().schedule(() -> expire(ctx, millis, since), millis, TimeUnit.MILLISECONDS);
    }

    private void expire(ChannelHandlerContext ctx, long millis, String since) {
        String description = "no publish within " + millis + " ms of " + since + " (rtmp.publish-timeout)";
        if (!ctx.channel().isActive()
                || !guards.rejections().reject(ctx.channel(), RtmpLimit.PUBLISH_DEADLINE, description)) {
            return;
        }
        if (handshaken && ctx.channel().isWritable()) {
            ctx.writeAndFlush(RtmpStatus.connectionClosed(description)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == RtmpHandshakeHandler.COMPLETED) {
            handshaken = true;
        } else if (evt == RtmpServerSession.PUBLISH_STARTED) {
            cancel();
        } else if (evt == RtmpServerSession.PUBLISH_ENDED && ctx.channel().isActive()) {
            schedule(ctx, "unpublishing");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
