package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.tls.TlsClients;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One RTMP publishing connection (inside TLS for rtmps:// URLs, the server's certificate checked against the
 * JVM's trusted authorities and the URL's host name): handshake, connect, releaseStream, FCPublish, createStream,
 * publish (the order OBS uses), then {@link #send} converts packets to FLV tag bodies. No reconnect here:
 * {@link RtmpPublisher} wraps this with back-off and a bounded queue.
 *
 * <p>Writes are not queued without bound: callers check {@link #isWritable()} (Netty's write buffer high water
 * mark, 1 MiB) and drop or wait when it is false.
 */
public final class RtmpClient implements AutoCloseable {
    private static final int CONNECT_TXN = 1;
    private static final int CREATE_STREAM_TXN = 4;
    private static final int PUBLISH_TXN = 5;

    private final Channel channel;
    private final Session session;

    private RtmpClient(Channel channel, Session session) {
        this.channel = channel;
        this.session = session;
    }

    /**
     * Connects and starts publishing. The future completes once the server answered NetStream.Publish.Start, and
     * fails with {@link RtmpPublishFailedException} if the server refused, or with the I/O error.
     *
     * @param onWritable run on the event loop whenever the connection becomes writable again
     */
    public static CompletableFuture<RtmpClient> publish(EventLoopGroup group, RtmpUrl url, RtmpSettings settings,
                                                        Runnable onWritable) {
        return publish(group, url, InetSocketAddress.createUnresolved(url.host(), url.port()), settings, onWritable,
                null);
    }

    /**
     * As {@link #publish(EventLoopGroup, RtmpUrl, RtmpSettings, Runnable)}, connecting to {@code remote} (an address
     * already resolved and checked) while the RTMP and TLS conversation still names {@code url}'s host.
     */
    public static CompletableFuture<RtmpClient> publish(EventLoopGroup group, RtmpUrl url, InetSocketAddress remote,
                                                        RtmpSettings settings, Runnable onWritable) {
        return publish(group, url, remote, settings, onWritable, null);
    }

    /**
     * The same, from the given local address (a host with several addresses, or a test speaking as many clients).
     *
     * @param localAddress the address and port to connect from; null lets the system choose
     */
    public static CompletableFuture<RtmpClient> publish(EventLoopGroup group, RtmpUrl url, RtmpSettings settings,
                                                        Runnable onWritable, InetSocketAddress localAddress) {
        return publish(group, url, InetSocketAddress.createUnresolved(url.host(), url.port()), settings, onWritable,
                localAddress);
    }

    private static CompletableFuture<RtmpClient> publish(EventLoopGroup group, RtmpUrl url, InetSocketAddress remote,
                                                         RtmpSettings settings, Runnable onWritable,
                                                         InetSocketAddress localAddress) {
        CompletableFuture<RtmpClient> ready = new CompletableFuture<>();
        Session session = new Session(url, settings, ready, onWritable);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.handshakeTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (url.tls()) {
                            ch.pipeline().addLast("tls", TlsClients.handler(ch.alloc(), url.host(), url.port()));
                        }
                        ch.pipeline().addLast("handshake", RtmpHandshakeHandler.forClient(settings.handshakeTimeout()));
                        ch.pipeline().addLast("encoder", new RtmpChunkEncoder());
                        ch.pipeline().addLast("decoder", new RtmpChunkDecoder(settings));
                        ch.pipeline().addLast("session", session);
                    }
                });
        (localAddress == null ? bootstrap.connect(remote) : bootstrap.connect(remote, localAddress))
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        ready.completeExceptionally(f.cause());
                    }
                });
        return ready;
    }

    /** Sends one packet (thread-safe); config packets go out as sequence headers. */
    public ChannelFuture send(MediaPacket packet) {
        return channel.writeAndFlush(message(packet));
    }

    /** Queues one packet without flushing; call {@link #flush()} after a batch. Event loop or any thread. */
    public ChannelFuture write(MediaPacket packet) {
        return channel.write(message(packet));
    }

    public void flush() {
        channel.flush();
    }

    private RtmpMessage message(MediaPacket packet) {
        // RTMP timestamps are 32-bit milliseconds; the receiver unwraps them again.
        long millis = Math.floorDiv(packet.dtsMicros(), 1000L);
        return packet.isAudio()
                ? RtmpMessage.of(RtmpMessage.AUDIO_CHUNK_STREAM, RtmpMessageType.AUDIO, millis, session.streamId,
                FlvTags.tagBody(packet))
                : RtmpMessage.of(RtmpMessage.VIDEO_CHUNK_STREAM, RtmpMessageType.VIDEO, millis, session.streamId,
                FlvTags.tagBody(packet));
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    public Channel channel() {
        return channel;
    }

    /** Unpublishes politely (FCUnpublish, deleteStream) and closes. */
    @Override
    public void close() {
        if (channel.isActive()) {
            channel.write(RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, 0, "FCUnpublish", 6.0, null,
                    session.url.streamName()));
            channel.writeAndFlush(RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, 0, "deleteStream", 7.0, null,
                    (double) session.streamId)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** The command exchange of a publisher (RTMP spec 7.2.1.1, 7.2.1.3, 7.2.2.6). */
    private static final class Session extends SimpleChannelInboundHandler<RtmpMessage> {
        final RtmpUrl url;
        final RtmpSettings settings;
        final CompletableFuture<RtmpClient> ready;
        final Runnable onWritable;
        volatile int streamId;

        Session(RtmpUrl url, RtmpSettings settings, CompletableFuture<RtmpClient> ready, Runnable onWritable) {
            this.url = url;
            this.settings = settings;
            this.ready = ready;
            this.onWritable = onWritable;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == RtmpHandshakeHandler.COMPLETED) {
                ctx.write(RtmpMessage.setChunkSize(settings.outboundChunkSize()));
                Map<String, Object> cmd = new LinkedHashMap<>();
                cmd.put("app", url.app());
                cmd.put("type", "nonprivate");
                cmd.put("flashVer", "FMLE/3.0 (compatible; StreamLoom)");
                cmd.put("tcUrl", url.tcUrl());
                ctx.writeAndFlush(RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, 0, "connect",
                        (double) CONNECT_TXN, cmd));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage msg) {
            if (msg.type() != RtmpMessageType.COMMAND_AMF0) {
                return;
            }
            List<Object> values = Amf0Reader.readAll(msg.payload(), settings.maxAmfDepth());
            if (values.isEmpty() || !(values.get(0) instanceof String name)) {
                return;
            }
            int txn = values.size() > 1 && values.get(1) instanceof Number n ? n.intValue() : 0;
            Object info = values.size() > 3 ? values.get(3) : null;
            switch (name) {
                case "_result" -> {
                    if (txn == CONNECT_TXN) {
                        ctx.write(command(0, "releaseStream", 2, null, url.streamName()));
                        ctx.write(command(0, "FCPublish", 3, null, url.streamName()));
                        // (Object) null: the command object is AMF0 null; a bare null would be taken as the varargs
                        // array itself and fail every connect.
                        ctx.writeAndFlush(command(0, "createStream", CREATE_STREAM_TXN, (Object) null));
                    } else if (txn == CREATE_STREAM_TXN && info instanceof Number id) {
                        streamId = id.intValue();
                        ctx.writeAndFlush(RtmpMessage.command(RtmpMessage.STREAM_COMMAND_CHUNK_STREAM, streamId,
                                "publish", (double) PUBLISH_TXN, null, url.streamName(), "live"));
                    }
                }
                case "_error" -> fail(ctx, "server refused: " + describe(info));
                case "onStatus" -> {
                    if (info instanceof Map<?, ?> status) {
                        if ("error".equals(status.get("level"))) {
                            fail(ctx, "server refused: " + describe(status));
                        } else if ("NetStream.Publish.Start".equals(status.get("code"))) {
                            ready.complete(new RtmpClient(ctx.channel(), this));
                        }
                    }
                }
                default -> {
                }
            }
        }

        private static RtmpMessage command(int streamId, String name, int txn, Object... args) {
            Object[] values = new Object[args.length + 2];
            values[0] = name;
            values[1] = (double) txn;
            System.arraycopy(args, 0, values, 2, args.length);
            return RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, streamId, values);
        }

        private static String describe(Object info) {
            return info instanceof Map<?, ?> m ? m.get("code") + " (" + m.get("description") + ")" : String.valueOf(info);
        }

        private void fail(ChannelHandlerContext ctx, String message) {
            ready.completeExceptionally(new RtmpPublishFailedException(message));
            ctx.close();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().isWritable() && onWritable != null) {
                onWritable.run();
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            ready.completeExceptionally(new RtmpPublishFailedException("connection to " + url
                    + " closed before publishing started"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.completeExceptionally(cause);
            ctx.close();
        }
    }
}
