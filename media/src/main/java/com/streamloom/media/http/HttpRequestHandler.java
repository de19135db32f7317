package com.streamloom.media.http;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSegment;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.hls.PlaylistSnapshot;
import com.streamloom.spec.Names;
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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers one connection's requests (one instance per connection, so it needs no locking). See
 * {@link MediaHttpServer} for what is served.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    static final String SEGMENT_TYPE = "video/mp2t";
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAYLIST_NAME = "index.m3u8";
    /** Segment names the packager gives: its sequence number. */
    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]{1,19}\\.ts");
    /** LL-HLS part names ({@code HlsPlaylistRenderer.partName}): segment sequence number and part index. */
    private static final Pattern PART_NAME = Pattern.compile("([0-9]{1,18})\\.([0-9]{1,4})\\.ts");
    /** A blocking playlist reload is answered with 503 after this many target durations (rfc8216bis 6.2.5.2). */
    private static final int BLOCKING_TIMEOUT_TARGETS = 3;
    /** A held (preload-hinted) part request is answered with 404 after this many part targets. */
    private static final int PRELOAD_TIMEOUT_PARTS = 3;
    private static final String NO_CACHE = "no-cache";
    /**
     * Segment names are never reused while a stream's packager lives, so a short shared-cache lifetime is safe and
     * lets a CDN or the browser cache absorb repeated fetches; it stays below the time a segment is held.
     */
    private static final String SEGMENT_CACHE = "public, max-age=60";
    private static final String STATIC_CACHE = "public, max-age=300";

    record Context(HlsStreams streams, PrometheusMeterRegistry registry, Router router, StaticFiles staticFiles,
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
            log.error("HTTP {} {} failed", request.method(), request.uri(), e);
            reply = CompletableFuture.completedFuture(error(500, "internal error"));
        }
        if (reply.isDone()) {
            send(ctx, method, version, keepAlive, reply.join(), cors);
            return;
        }
        // A held request (LL-HLS blocking reload or preload hint): stop reading this connection until it is
        // answered, so a pipelined request's response can never overtake it; the event loop stays free.
        ctx.channel().config().setAutoRead(false);
        String uri = request.uri();
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
                return hls(path, request.uri(), executor);
            }
            if (path.get(0).equals("static")) {
                return done(path.size() >= 2 ? staticFile(String.join("/", path.segments().subList(1, path.size())))
                        : error(404, "not found"));
            }
            return done(metrics());
        }
        return done(error(404, "not found"));
    }

    private CompletableFuture<Reply> hls(RequestPath path, String uri, EventExecutor executor) {
        if (path.size() != 3 || !Names.NAME.matcher(path.get(1)).matches()) {
            return done(error(404, "not found"));
        }
        HlsPackager packager = context.streams().get(path.get(1));
        if (packager == null) {
            return done(error(404, "no stream " + path.get(1)));
        }
        String name = path.get(2);
        if (name.equals(PLAYLIST_NAME)) {
            return playlist(packager, uri, executor);
        }
        Matcher part = PART_NAME.matcher(name);
        if (part.matches()) {
            return part(packager, name, Long.parseLong(part.group(1)), Integer.parseInt(part.group(2)), executor);
        }
        HlsSegment segment = SEGMENT_NAME.matcher(name).matches() ? packager.segment(name) : null;
        if (segment == null) {
            return done(error(404, "no segment " + name));
        }
        return done(new Reply(200, SEGMENT_TYPE, Unpooled.wrappedBuffer(segment.data()),
                Map.of(HttpHeaderNames.CACHE_CONTROL.toString(), SEGMENT_CACHE)));
    }

    /**
     * The playlist; with {@code _HLS_msn} (and {@code _HLS_part}) a blocking reload (draft-pantos-hls-rfc8216bis
     * 6.2.5.2): held until the playlist contains that segment (or part), 400 for one more than two segments ahead,
     * 503 if it has not appeared within three target durations. {@code _HLS_skip} is ignored (no delta updates).
     */
    private CompletableFuture<Reply> playlist(HlsPackager packager, String uri, EventExecutor executor) {
        Map<String, List<String>> query;
        try {
            query = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            return done(error(400, "bad query string: " + e.getMessage()));
        }
        String msnParam = first(query, "_HLS_msn");
        String partParam = first(query, "_HLS_part");
        if (msnParam == null) {
            if (partParam != null) {
                return done(error(400, "_HLS_part needs _HLS_msn"));
            }
            return done(currentPlaylist(packager));
        }
        long msn;
        int partIndex;
        try {
            msn = Long.parseLong(msnParam);
            partIndex = partParam == null ? -1 : Integer.parseInt(partParam);
        } catch (NumberFormatException e) {
            return done(error(400, "_HLS_msn and _HLS_part must be integers"));
        }
        if (msn < 0 || (partParam != null && partIndex < 0)) {
            return done(error(400, "_HLS_msn and _HLS_part must not be negative"));
        }
        CompletableFuture<PlaylistSnapshot> awaited;
        try {
            awaited = packager.awaitPlaylist(msn, partIndex);
        } catch (IllegalArgumentException e) {
            return done(error(400, e.getMessage()));
        }
        long timeoutMicros = BLOCKING_TIMEOUT_TARGETS * packager.snapshot().targetDurationSeconds() * 1_000_000L;
        return held(awaited, timeoutMicros, executor, snapshot -> currentPlaylist(packager),
                () -> error(503, "the playlist did not reach segment " + msn
                        + (partIndex >= 0 ? " part " + partIndex : "") + " in time"));
    }

    private static Reply currentPlaylist(HlsPackager packager) {
        String playlist = packager.playlist();
        return playlist == null ? error(404, "stream " + packager.stream() + " has no segment yet")
                : new Reply(200, PLAYLIST_TYPE, Unpooled.copiedBuffer(playlist, StandardCharsets.UTF_8),
                        Map.of(HttpHeaderNames.CACHE_CONTROL.toString(), NO_CACHE));
    }

    /**
     * An LL-HLS part: served from memory if it exists; the next part or two of the segment being written (what
     * EXT-X-PRELOAD-HINT names) are held until they are cut, up to three part targets; anything else is a 404.
     */
    private CompletableFuture<Reply> part(HlsPackager packager, String name, long msn, int index,
                                          EventExecutor executor) {
        ByteBuffer data = packager.part(msn, index);
        if (data != null) {
            return done(partReply(data));
        }
        PlaylistSnapshot current = packager.snapshot();
        long next = current.nextSequence();
        boolean soon = (msn == next && index <= current.pendingParts().size() + 1) || (msn == next + 1 && index == 0);
        if (!soon || packager.playlist() == null) {
            return done(error(404, "no part " + name));
        }
        CompletableFuture<PlaylistSnapshot> awaited = packager.awaitPlaylist(msn, index);
        return held(awaited, PRELOAD_TIMEOUT_PARTS * current.partTargetMicros(), executor, snapshot -> {
            ByteBuffer cut = packager.part(msn, index);
            // The segment may have ended with fewer parts than the hint expected.
            return cut != null ? partReply(cut) : error(404, "no part " + name + ": its segment ended before it");
        }, () -> error(404, "part " + name + " was not cut in time"));
    }

    private static Reply partReply(ByteBuffer data) {
        return new Reply(200, SEGMENT_TYPE, Unpooled.wrappedBuffer(data),
                Map.of(HttpHeaderNames.CACHE_CONTROL.toString(), SEGMENT_CACHE));
    }

    /**
     * Answers when {@code awaited} completes (on this connection's event loop, never blocking it) or, after
     * {@code timeoutMicros}, with the timeout reply; the packager's waiter is then cancelled so it is dropped.
     */
    private static CompletableFuture<Reply> held(CompletableFuture<PlaylistSnapshot> awaited, long timeoutMicros,
                                                 EventExecutor executor, Function<PlaylistSnapshot, Reply> answer,
                                                 Supplier<Reply> onTimeout) {
        if (awaited.isDone() && !awaited.isCompletedExceptionally()) {
            return done(answer.apply(awaited.join()));
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        ScheduledFuture<?> timeout = executor.schedule(() -> {
            if (!reply.isDone()) {
                reply.complete(onTimeout.get());
            }
            awaited.cancel(false);
        }, timeoutMicros, TimeUnit.MICROSECONDS);
        awaited.whenCompleteAsync((snapshot, failure) -> {
            timeout.cancel(false);
            if (reply.isDone()) {
                return;
            }
            reply.complete(failure == null ? answer.apply(snapshot)
                    : error(503, "stream " + (failure instanceof CancellationException ? "wait cancelled"
                    : unwrap(failure).getMessage())));
        }, executor);
        return reply;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static CompletableFuture<Reply> done(Reply reply) {
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

    private static Reply error(int status, String message) {
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

    private record Reply(int status, String contentType, ByteBuf body, Map<String, String> headers) {
    }
}
