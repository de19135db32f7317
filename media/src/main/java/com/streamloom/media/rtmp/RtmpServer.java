package com.streamloom.media.rtmp;

import com.streamloom.media.tls.PemTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An RTMP ingest server (the edge listens on 1935, the compositor on 1936). Each connection gets its own pipeline:
 * TLS (RTMPS, when configured) → read idle timeout → handshake → chunk encoder → chunk decoder → session, so one
 * bad client costs only its own connection. NIO transport: portable, and RTMP ingest is a handful of connections,
 * not a C10K problem.
 *
 * <pre>{@code
 * try (RtmpServer server = RtmpServer.start(new InetSocketAddress(1935), RtmpSettings.defaults(), handler)) { ... }
 * }</pre>
 */
public final class RtmpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);
    public static final int DEFAULT_PORT = 1935;

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    private final Channel plainChannel;

    private RtmpServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel,
                       Channel plainChannel) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.serverChannel = serverChannel;
        this.plainChannel = plainChannel;
    }

    /** Binds and starts serving plain RTMP; port 0 picks a free port (see {@link #port()}). */
    public static RtmpServer start(InetSocketAddress bindAddress, RtmpSettings settings, PublishHandler handler)
            throws InterruptedException {
        return start(bindAddress, settings, handler, null, null);
    }

    /**
     * Binds and starts serving; with {@code tls} every connection is RTMPS (RTMP inside TLS from the first byte,
     * as OBS and FFmpeg speak it for rtmps:// URLs), without it plain RTMP.
     *
     * @param plainPort with {@code tls}: also serve plain RTMP on this port of the same address (0 picks one), for
     *                  peers inside the cluster that dial a pod address no certificate names; null for none
     */
    public static RtmpServer start(InetSocketAddress bindAddress, RtmpSettings settings, PublishHandler handler,
                                   PemTls tls, Integer plainPort) throws InterruptedException {
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        Channel channel = null;
        try {
            channel = bind(boss, workers, bindAddress, settings, handler, tls);
            log.info("{} server listening on {}", tls != null ? "RTMPS" : "RTMP", channel.localAddress());
            Channel plain = null;
            if (tls != null && plainPort != null) {
                plain = bind(boss, workers, new InetSocketAddress(bindAddress.getAddress(), plainPort), settings,
                        handler, null);
                log.info("plain RTMP for the cluster listening on {}", plain.localAddress());
            }
            return new RtmpServer(boss, workers, channel, plain);
        } catch (InterruptedException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static Channel bind(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
                                RtmpSettings settings, PublishHandler handler, PemTls tls)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                // A restarted server gets its port back at once although old connections linger in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // rtmp.handshake-timeout bounds the TLS handshake as well as the RTMP one after it
                            SslHandler handler = tls.context().newHandler(ch.alloc());
                            handler.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
                            ch.pipeline().addLast("tls", handler);
                        }
                        configureServerPipeline(ch, settings, handler);
                    }
                })
                .bind(address).sync().channel();
    }

    /** The handlers of one server connection; also used by tests on an {@code EmbeddedChannel}. */
    public static void configureServerPipeline(Channel ch, RtmpSettings settings, PublishHandler handler) {
        ch.pipeline().addLast("idle", new IdleStateHandler(settings.readIdleTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("handshake", RtmpHandshakeHandler.forServer(settings.handshakeTimeout()));
        ch.pipeline().addLast("encoder", new RtmpChunkEncoder());
        ch.pipeline().addLast("decoder", new RtmpChunkDecoder(settings));
        ch.pipeline().addLast("session", new RtmpServerSession(settings, handler));
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The plain port beside RTMPS, or -1 when there is none. */
    public int plainPort() {
        return plainChannel == null ? -1 : ((InetSocketAddress) plainChannel.localAddress()).getPort();
    }

    /** Stops listening and closes every connection (their sinks are ended). */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        if (plainChannel != null) {
            plainChannel.close().syncUninterruptibly();
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
