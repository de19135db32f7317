package com.streamloom.node.http;

import com.streamloom.spec.SpecException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Answers one connection's requests (one instance per connection, so it needs no locking). See
 * {@link MediaHttpServer} for what is served.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String NO_CACHE = "no-cache";
    private static final String STATIC_CACHE = "public, max-age=300";

    record Context(HlsRoutes hls, PrometheusMeterRegistry registry, Router router, StaticFiles staticFiles,
                   CorsPolicy cors) {
    }

    private final Context context;

    HttpRequestHandler(Context context) {
        this.context = context;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        HttpVersion version = request.protocolVersion();
        if (!request.decoderResult().isSuccess()) {
            // A request we could not parse leaves the connection in an unknown state: answer and close it.
            Throwable cause = request.decoderResult().cause();
            Reply reply = cause instanceof TooLongHttpLineException ? error(414, "request line too long")
                    : cause instanceof TooLongHttpHeaderException ? error(431, "request headers too large")
                    : error(400, "malformed request");
            send(ctx, method, version, false, reply, Map.of());
            return;
        }
        Map<String, String> cors = context.cors().responseHeaders(method, request.headers().get(HttpHeaderNames.ORIGIN));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        CompletableFuture<Reply> reply;
        try {
            reply = dispatch(request, ctx.executor());
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", request.method(), withoutQuery(request.uri()), e);
            reply = CompletableFuture.completedFuture(error(500, "internal error"));
        }
        if (reply.isDone()) {
            send(ctx, method, version, keepAlive, reply.join(), cors);
            return;
        }
        // A held request (LL-HLS blocking reload or preload hint): stop reading this connection until it is
        // answered, so a pipelined request's response can never overtake it; the event loop stays free.
        ctx.channel().config().setAutoRead(false);
        String uri = withoutQuery(request.uri());
        reply.whenCompleteAsync((answer, failure) -> {
            if (failure != null) {
                log.error("HTTP {} {} failed", method, uri, failure);
                answer = error(500, "internal error");
            }
            if (ctx.channel().isActive()) {
                send(ctx, method, version, keepAlive, answer, cors);
                ctx.channel().config().setAutoRead(true);
            } else {
                answer.body.release();
            }
        }, ctx.executor());
    }

    private CompletableFuture<Reply> dispatch(FullHttpRequest request, EventExecutor executor) {
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            return done(preflight(request));
        }
        RequestPath path;
        try {
            path = RequestPath.parse(request.uri());
        } catch (IllegalArgumentException e) {
            return done(error(400, "bad path: " + e.getMessage()));
        }
        Router.Match match = context.router().match(method, path);
        if (match != null) {
            return done(match.handler() == null ? methodNotAllowed(match.allowedMethods())
                    : api(match, request, path));
        }
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        if (path.size() >= 1 && (path.get(0).equals("hls") || path.get(0).equals("static"))
                || path.toString().equals("/metrics") || path.size() == 0) {
            if (!read) {
                return done(methodNotAllowed(Set.of("GET", "HEAD")));
            }
            if (path.size() == 0) {
                return done(staticFile("index.html"));
            }
            if (path.get(0).equals("hls")) {
                return context.hls().serve(path, request.uri(), executor);
            }
            if (path.get(0).equals("static")) {
                return done(path.size() >= 2 ? staticFile(String.join("/", path.segments().subList(1, path.size())))
                        : error(404, "not found"));
            }
            return done(metrics());
        }
        return done(error(404, "not found"));
    }

    /** The URI as logged: its query may hold a playback token, a credential that must not reach a log. */
    private static String withoutQuery(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query) + "?…";
    }

    static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private Reply metrics() {
        if (context.registry() == null) {
            return error(404, "no metrics");
        }
        return new Reply(200, METRICS_TYPE, Unpooled.copiedBuffer(context.registry().scrape(), StandardCharsets.UTF_8),
                Map.of(HttpHeaderNames.CACHE_CONTROL.toString(), NO_CACHE));
    }

    private Reply staticFile(String relativePath) {
        return context.staticFiles().find(relativePath)
                .map(file -> new Reply(200, file.contentType(), Unpooled.wrappedBuffer(file.data()),
                        Map.of(HttpHeaderNames.CACHE_CONTROL.toString(),
                                relativePath.endsWith(".html") ? NO_CACHE : STATIC_CACHE)))
                .orElseGet(() -> error(404, "not found"));
    }

    private Reply api(Router.Match match, FullHttpRequest request, RequestPath path) {
        Map<String, List<String>> query;
        try {
            query = new QueryStringDecoder(request.uri()).parameters();
        } catch (IllegalArgumentException e) {
            return error(400, "bad query string: " + e.getMessage());
        }
        ApiRequest apiRequest = new ApiRequest(request.method(), path.toString(), match.params(), query,
                new DefaultHttpHeaders().set(request.headers()), ByteBufUtil.getBytes(request.content()));
        ApiResponse response;
        try {
            response = match.handler().handle(apiRequest);
            if (response == null) {
                throw new IllegalStateException("route handler returned null");
            }
        } catch (ApiException e) {
            response = ApiResponse.error(e.status(), e.getMessage());
        } catch (SpecException e) {
            response = ApiResponse.error(400, e.getMessage());
        } catch (Exception e) {
            log.error("HTTP {} {}: handler failed", request.method(), path, e);
            response = ApiResponse.error(500, "internal error");
        }
        return new Reply(response.status(), response.contentType(), Unpooled.wrappedBuffer(response.body()),
                response.headers());
    }

    private Reply preflight(FullHttpRequest request) {
        String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        Map<String, String> headers;
        try {
            headers = context.cors().preflightHeaders(request.headers().get(HttpHeaderNames.ORIGIN), requested);
        } catch (IllegalArgumentException e) {
            return error(400, "bad Access-Control-Request-Method");
        }
        return new Reply(204, null, Unpooled.EMPTY_BUFFER, headers);
    }

    private static Reply methodNotAllowed(Set<String> allowed) {
        Reply reply = error(405, "method not allowed");
        return new Reply(reply.status, reply.contentType, reply.body,
                Map.of(HttpHeaderNames.ALLOW.toString(), String.join(", ", allowed)));
    }

    static Reply error(int status, String message) {
        ApiResponse response = ApiResponse.error(status, message);
        return new Reply(status, response.contentType(), Unpooled.wrappedBuffer(response.body()),
                Map.of(HttpHeaderNames.CACHE_CONTROL.toString(), NO_CACHE));
    }

    /**
     * A body over the limit: 413 with the usual JSON error, then close, since the rest of the body may still be
     * arriving. Only writes carry bodies, so no CORS header: which origin may see it is not known here.
     */
    static void rejectOversized(ChannelHandlerContext ctx) {
        Reply reply = error(413, "request body too large");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, reply.body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static void send(ChannelHandlerContext ctx, HttpMethod method, HttpVersion version, boolean keepAlive,
                             Reply reply, Map<String, String> cors) {
        boolean head = method.equals(HttpMethod.HEAD);
        ByteBuf body = head ? Unpooled.EMPTY_BUFFER : reply.body;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status), body);
        HttpHeaders headers = response.headers();
        reply.headers.forEach(headers::set);
        if (reply.contentType != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, reply.contentType);
        }
        cors.forEach(headers::set);
        // HEAD announces the length the GET body would have (RFC 9110 9.3.2).
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body.readableBytes());
        if (head) {
            reply.body.release();
        }
        if (keepAlive) {
            if (!version.isKeepAliveDefault()) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    record Reply(int status, String contentType, ByteBuf body, Map<String, String> headers) {
    }
}
