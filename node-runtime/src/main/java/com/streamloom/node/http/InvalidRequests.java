package com.streamloom.node.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request the HTTP/1.x decoder could not parse: 414 for a request line too long, 431 for headers too
 * large, 400 otherwise, with the usual JSON error, and closes that connection (its state is unknown); no other
 * connection is touched. The answer is written straight to the connection's channel because Vert.x would answer
 * with the version of the placeholder request its decoder makes up for garbage (HTTP/1.0), while a server answers
 * with the highest version it supports (RFC 9110 6.2).
 */
final class InvalidRequests {
    private static final Logger log = LoggerFactory.getLogger(InvalidRequests.class);

    private InvalidRequests() {
    }

    static void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        HttpReply reply = cause instanceof TooLongHttpLineException ? HttpReply.error(414, "request line too long")
                : cause instanceof TooLongHttpHeaderException ? HttpReply.error(431, "request headers too large")
                : HttpReply.error(400, "malformed request");
        log.debug("HTTP connection {}: {} ({})", request.remoteAddress(), reply.status(),
                cause == null ? "?" : cause.toString());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body().getBytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpReply.NO_CACHE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ((ConnectionBase) request.connection()).channel().writeAndFlush(response)
                .addListener(ChannelFutureListener.CLOSE);
    }
}
