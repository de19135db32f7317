package com.streamloom.media.rtmp;

import com.streamloom.media.tls.PemTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * TLS (RTMPS, when configured) → not-reading guard → read idle timeout → handshake → chunk encoder → chunk decoder
 * → session → publish deadline, so one bad client costs only its own connection. What the connections share, the
 * server-wide limits ({@link RtmpServerGuards}: connections in total and per address, the budget for unfinished
 * messages), is checked before a connection costs more than its socket, and each refusal is counted by reason in
 * {@code streamloom_rtmp_rejected_total}. NIO transport: portable, and RTMP ingest is a handful of connections
 * (at most rtmp.max-connections), not a C10K problem.
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
    private final RtmpServerGuards guards;

    private RtmpServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel,
                       Channel plainChannel, RtmpServerGuards guards) {
        this.guards = guards;
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

    /** As {@link #start(InetSocketAddress, RtmpSettings, PublishHandler, PemTls, Integer, MeterRegistry)}, with
     * the meters in a registry of the server's own. */
    public static RtmpServer start(InetSocketAddress bindAddress, RtmpSettings settings, PublishHandler handler,
                                   PemTls tls, Integer plainPort) throws InterruptedException {
        return start(bindAddress, settings, handler, tls, plainPort, new SimpleMeterRegistry());
    }

    /**
     * Binds and starts serving; with {@code tls} every connection is RTMPS (RTMP inside TLS from the first byte,
     * as OBS and FFmpeg speak it for rtmps:// URLs), without it plain RTMP.
     *
     * @param plainPort with {@code tls}: also serve plain RTMP on this port of the same address (0 picks one), for
     *                  peers inside the cluster that dial a pod address no certificate names; null for none
     * @param registry  where the server's meters go (rejections by reason, open connections, buffered bytes)
     */
    public static RtmpServer start(InetSocketAddress bindAddress, RtmpSettings settings, PublishHandler handler,
                                   PemTls tls, Integer plainPort, MeterRegistry registry) throws InterruptedException {
        RtmpServerGuards guards = new RtmpServerGuards(settings, registry);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        Channel channel = null;
        try {
            channel = bind(boss, workers, bindAddress, guards, handler, tls);
            log.info("{} server listening on {}", tls != null ? "RTMPS" : "RTMP", channel.localAddress());
            Channel plain = null;
            if (tls != null && plainPort != null) {
                plain = bind(boss, workers, new InetSocketAddress(bindAddress.getAddress(), plainPort), guards,
                        handler, null);
                log.info("plain RTMP for the cluster listening on {}", plain.localAddress());
            }
            return new RtmpServer(boss, workers, channel, plain, guards);
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
                                RtmpServerGuards guards, PublishHandler handler, PemTls tls)
            throws InterruptedException {
        RtmpSettings settings = guards.settings();
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                // A restarted server gets its port back at once although old connections linger in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!guards.admit(ch)) {
                            return;
                        }
                        if (tls != null) {
                            // rtmp.handshake-timeout bounds the TLS handshake as well as the RTMP one after it
                            SslHandler handler = tls.context().newHandler(ch.alloc());
                            handler.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
                            ch.pipeline().addLast("tls", handler);
                        }
                        configureServerPipeline(ch, guards, handler);
                    }
                })
                .bind(address).sync().channel();
    }

    /** The handlers of one server connection, as the only connection of a server; for tests on an
     * {@code EmbeddedChannel}. */
    public static void configureServerPipeline(Channel ch, RtmpSettings settings, PublishHandler handler) {
        configureServerPipeline(ch, new RtmpServerGuards(settings, new SimpleMeterRegistry()), handler);
    }

    /** The handlers of one server connection, which shares {@code guards} with the server's others. */
    static void configureServerPipeline(Channel ch, RtmpServerGuards guards, PublishHandler handler) {
        RtmpSettings settings = guards.settings();
        ch.pipeline().addLast("not-reading", new NotReadingGuard(guards.rejections()));
        ch.pipeline().addLast("idle", new IdleStateHandler(settings.readIdleTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("handshake", RtmpHandshakeHandler.forServer(settings.handshakeTimeout()));
        ch.pipeline().addLast("encoder", new RtmpChunkEncoder());
        ch.pipeline().addLast("decoder", new RtmpChunkDecoder(settings, guards.budget()));
        ch.pipeline().addLast("session", new RtmpServerSession(settings, handler, guards.rejections()));
        ch.pipeline().addLast("publish-deadline", new PublishDeadline(guards));
    }

    /** The server-wide limits' state: rejections by reason, open connections, buffered bytes. */
    public RtmpServerGuards guards() {
        return guards;
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
