package com.streamloom.node.http;

import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.tls.PemTls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP side of a node (edge on 8081, compositor on 8082), on Vert.x Web, speaking HTTP/1.1 and HTTP/2 (h2c by
 * prior knowledge or upgrade on plain ports, h2 by ALPN with TLS):
 * <ul>
 *   <li>{@code GET /hls/{stream}/index.m3u8} and {@code /hls/{stream}/{n}.ts} from the {@link HlsStreams}, as
 *       LL-HLS: parts at {@code /hls/{stream}/{n}.{part}.ts}, blocking playlist reload with
 *       {@code ?_HLS_msn=&_HLS_part=} and preload-hinted parts, both answered later without holding a thread;
 *       segments and parts honour {@code Range};</li>
 *   <li>{@code GET /metrics}, Prometheus text from the registry (if one is given), rendered at most once per
 *       {@link HttpServerSettings#metricsInterval()};</li>
 *   <li>{@code GET /} (the player page) and {@code /static/...} from the node's files on the classpath;</li>
 *   <li>JSON API routes the node adds with {@link #route}.</li>
 * </ul>
 * Reads (GET, HEAD) carry {@code Access-Control-Allow-Origin: *}, so players on other origins work; writes are
 * allowed only from {@link HttpServerSettings#corsAllowedOrigins()} ({@link CorsPolicy}). Requests are limited
 * (line 414, headers 431, body 413 beyond {@link HttpServerSettings#maxBodyBytes()}), and so are connections:
 * their number, the time to send a request head, idle time and unsent answers ({@link GuardedTransport},
 * {@link ConnectionGuard}); a malformed request gets a 400 and a closed connection without touching any other.
 *
 * <p>Usage: {@code new MediaHttpServer(settings, streams, registry)}, {@link #route} any number of times (also
 * after start), {@link #tls} for HTTPS, {@link #start()}, and {@link #close()} on shutdown.
 */
public final class MediaHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaHttpServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Worker threads render /metrics; requests never run on them. */
    private static final int WORKER_THREADS = 2;

    private final HttpServerSettings settings;
    private final GuardedTransport transport;
    private final Vertx vertx;
    private final HttpRouting routing;
    private volatile PemTls tls;
    private Integer plainPort;
    private volatile HttpServer server;
    private volatile HttpServerOptions serverOptions;
    private HttpServer plainServer;
    /** The PemTls context Vert.x was last given; another one from PemTls means the files were renewed. */
    private final AtomicReference<SslContext> servedTls = new AtomicReference<>();

    /**
     * @param registry metrics to serve at /metrics, or null for none (404)
     */
    public MediaHttpServer(HttpServerSettings settings, HlsStreams streams, PrometheusMeterRegistry registry) {
        this.settings = settings;
        this.transport = new GuardedTransport(settings);
        // A Vert.x of its own: its event loops are this server's, and its transport gates every accepted socket.
        this.vertx = new VertxBuilder(new VertxOptions().setWorkerPoolSize(WORKER_THREADS)).findTransport(transport)
                .init().vertx();
        this.routing = new HttpRouting(vertx, settings, streams, registry);
        if (registry != null) {
            // what a flood of connections or of unread answers holds, beside the RTMP server's own gauges
            Gauge.builder("streamloom.http.connections", transport, GuardedTransport::openConnections)
                    .description("HTTP connections open, over all listeners").register(registry);
            Gauge.builder("streamloom.http.queued", transport, GuardedTransport::queuedBytes).baseUnit("bytes")
                    .description("HTTP response bytes written and not yet taken by the clients").register(registry);
        }
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
        routing.api().add(method, pattern, handler);
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
        try {
            serverOptions = options(settings.port(), tls != null);
            server = listen(serverOptions);
            if (plainPort != null && tls != null) {
                plainServer = listen(options(plainPort, false));
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        if (tls != null) {
            servedTls.set(tls.context());
            // As PemTls promises: each new connection looks for renewed files, so a renewal needs no restart.
            transport.onAccept(this::reloadTlsIfChanged);
        }
        log.info("{} server listening on {}:{} (HTTP/1.1, HTTP/2){}", tls != null ? "HTTPS" : "HTTP",
                settings.host(), port(), plainServer != null ? ", plain HTTP for the cluster on " + plainPort() : "");
        return this;
    }

    private HttpServerOptions options(int port, boolean secure) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(port)
                .setAcceptBacklog(1024)
                .setTcpNoDelay(true)
                .setMaxInitialLineLength(settings.maxInitialLineBytes())
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setIdleTimeout((int) settings.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHttp2ClearTextEnabled(true)
                .setInitialSettings(new Http2Settings()
                        .setMaxConcurrentStreams(Http2Settings.DEFAULT_MAX_CONCURRENT_STREAMS)
                        .setMaxHeaderListSize(settings.maxHeaderBytes()));
        if (secure) {
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(pem());
        }
        return options;
    }

    private PemKeyCertOptions pem() {
        return new PemKeyCertOptions().setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString());
    }

    private HttpServer listen(HttpServerOptions options) throws InterruptedException {
        HttpServer created = vertx.createHttpServer(options)
                .requestHandler(routing.router())
                .invalidRequestHandler(InvalidRequests::answer);
        try {
            return created.listen().toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot listen on " + options.getHost() + ":" + options.getPort() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("listening on " + options.getHost() + ":" + options.getPort()
                    + " did not complete in " + START_TIMEOUT);
        }
    }

    /**
     * PemTls rereads the files when they changed and keeps the last good pair; when it has a new one, Vert.x loads
     * the files too (for the connections after this one). Runs on the acceptor thread, so it takes no lock.
     */
    private void reloadTlsIfChanged() {
        HttpServer current = server;
        PemTls pemTls = tls;
        if (current == null || pemTls == null) {
            return;
        }
        SslContext latest = pemTls.context();
        SslContext before = servedTls.get();
        if (latest != before && servedTls.compareAndSet(before, latest)) {
            // forced: the file names are the same, their contents are not
            current.updateSSLOptions(new SSLOptions(serverOptions.getSslOptions()).setKeyCertOptions(pem()), true)
                    .onFailure(e -> log.warn("TLS certificate {} could not be reloaded: {}", pemTls.certFile(),
                            e.getMessage()));
        }
    }

    private void requireNotStarted() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.actualPort();
    }

    /** The bound plain port beside HTTPS, or -1 when there is none. */
    public int plainPort() {
        return plainServer == null ? -1 : plainServer.actualPort();
    }

    /** Connections open now, over all listeners. */
    public int openConnections() {
        return transport.openConnections();
    }

    /** Response bytes written and not yet taken by the clients' sockets, over all connections. */
    public long queuedResponseBytes() {
        return transport.queuedBytes();
    }

    /** How many times /metrics has been rendered. */
    long metricsRenders() {
        return routing.metricsRenders();
    }

    @Override
    public synchronized void close() {
        server = null;
        plainServer = null;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("HTTP server did not close cleanly: {}", e.toString());
        }
    }
}
