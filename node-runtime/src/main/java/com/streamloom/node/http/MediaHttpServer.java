package com.streamloom.node.http;

import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.tls.PemTls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of a node (edge on 8081, compositor on 8082), on Netty:
 * <ul>
 *   <li>{@code GET /hls/{stream}/index.m3u8} and {@code /hls/{stream}/{n}.ts} from the {@link HlsStreams}, as
 *       LL-HLS: parts at {@code /hls/{stream}/{n}.{part}.ts}, blocking playlist reload with
 *       {@code ?_HLS_msn=&_HLS_part=} and preload-hinted parts, both held without blocking the event loop (the
 *       connection stops reading until its held request is answered);</li>
 *   <li>{@code GET /metrics}, Prometheus text from the registry (if one is given);</li>
 *   <li>{@code GET /} (the player page) and {@code /static/...} from {@code static/} on the classpath;</li>
 *   <li>JSON API routes the node adds with {@link #route}.</li>
 * </ul>
 * Reads (GET, HEAD) carry {@code Access-Control-Allow-Origin: *}, so players on other origins work; writes are
 * allowed only from {@link HttpServerSettings#corsAllowedOrigins()} ({@link CorsPolicy}), and OPTIONS preflights are
 * answered accordingly; HEAD works wherever GET does. Requests are limited (line, headers, body: 413 beyond
 * {@link HttpServerSettings#maxBodyBytes()}), keep-alive connections idle for too long are closed, and a malformed
 * request gets a 400 and a closed connection without touching any other connection.
 *
 * <p>Usage: {@code new MediaHttpServer(settings, streams, registry)}, {@link #route} any number of times (also
 * after start), {@link #tls} for HTTPS, {@link #start()}, and {@link #close()} on shutdown.
 */
public final class MediaHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaHttpServer.class);

    private final HttpServerSettings settings;
    private final Router router = new Router();
    private final HttpRequestHandler.Context context;
    private PemTls tls;
    private Integer plainPort;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private Channel plainChannel;

    /**
     * @param registry metrics to serve at /metrics, or null for none (404)
     */
    public MediaHttpServer(HttpServerSettings settings, HlsStreams streams, PrometheusMeterRegistry registry) {
        this.settings = settings;
        this.context = new HttpRequestHandler.Context(new HlsRoutes(streams), registry, router,
                new StaticFiles(MediaHttpServer.class.getClassLoader()),
                new CorsPolicy(settings.corsAllowedOrigins()));
    }

    /**
     * Adds a JSON API route; {@code pattern} is a path with {@code {param}} placeholders, e.g.
     * {@code /api/streams/{name}/captions}. Routes under /hls, /metrics and /static are served by the server itself.
     */
    public MediaHttpServer route(HttpMethod method, String pattern, RouteHandler handler) {
        if (pattern.startsWith("/hls/") || pattern.equals("/metrics") || pattern.startsWith("/static/")
                || pattern.equals("/")) {
            throw new IllegalArgumentException(pattern + " is served by the media server itself");
        }
        router.add(method, pattern, handler);
        return this;
    }

    /** Serves HTTPS instead of HTTP on the same port (call before {@link #start()}); null keeps plain HTTP. */
    public synchronized MediaHttpServer tls(PemTls pemTls) {
        requireNotStarted();
        this.tls = pemTls;
        return this;
    }

    /**
     * With {@link #tls}: also serves plain HTTP on {@code port} (0 picks one), the same routes, for peers inside the
     * cluster that dial a pod address no certificate names. Call before {@link #start()}; null for none.
     */
    public synchronized MediaHttpServer plainPort(Integer port) {
        requireNotStarted();
        this.plainPort = port;
        return this;
    }

    /** Binds the port(s); returns this. Throws if a port cannot be bound. */
    public synchronized MediaHttpServer start() throws InterruptedException {
        requireNotStarted();
        bossGroup = new NioEventLoopGroup(1);
        workerGroup = new NioEventLoopGroup();
        try {
            serverChannel = bind(settings.port(), tls);
            if (plainPort != null && tls != null) {
                plainChannel = bind(plainPort, null);
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        log.info("{} server listening on {}:{}{}", tls != null ? "HTTPS" : "HTTP", settings.host(), port(),
                plainChannel != null ? ", plain HTTP for the cluster on " + plainPort() : "");
        return this;
    }

    private Channel bind(int port, PemTls serverTls) throws InterruptedException {
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (serverTls != null) {
                            channel.pipeline().addLast("tls", serverTls.context().newHandler(channel.alloc()));
                        }
                        channel.pipeline()
                                .addLast(new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(),
                                        TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(settings.maxInitialLineBytes(),
                                        settings.maxHeaderBytes(), 8192))
                                // Also answers "Expect: 100-continue"; a body over the limit gets our 413.
                                .addLast(new HttpObjectAggregator(settings.maxBodyBytes()) {
                                    @Override
                                    protected void handleOversizedMessage(ChannelHandlerContext ctx,
                                                                          HttpMessage oversized) {
                                        HttpRequestHandler.rejectOversized(ctx);
                                    }
                                })
                                .addLast(new HttpRequestHandler(context));
                    }
                })
                .bind(settings.host(), port).sync().channel();
    }

    private void requireNotStarted() {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The bound plain port beside HTTPS, or -1 when there is none. */
    public int plainPort() {
        return plainChannel == null ? -1 : ((InetSocketAddress) plainChannel.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (plainChannel != null) {
            plainChannel.close().syncUninterruptibly();
            plainChannel = null;
        }
        shutdownGroups();
    }

    private void shutdownGroups() {
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup = null;
            workerGroup = null;
        }
    }
}
