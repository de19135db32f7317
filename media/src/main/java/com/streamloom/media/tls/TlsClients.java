package com.streamloom.media.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.UncheckedIOException;

/**
 * The client side of TLS for a node's outgoing connections (an edge pushing rtmps:// to a compositor): the
 * server's certificate must chain to an authority the JVM trusts ({@code javax.net.ssl.trustStore} adds a private
 * one) and name the host that was dialled (RFC 6125), as a browser would check it.
 */
public final class TlsClients {
    private TlsClients() {
    }

    /** A handler for one connection to {@code host:port}; it sends the host as SNI and verifies it. */
    public static SslHandler handler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = build().newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return handler;
    }

    /** Built per connection (outgoing connections are few), so a changed trust store counts from the next one. */
    private static SslContext build() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new UncheckedIOException("the JVM's default TLS client cannot be set up", e);
        }
    }
}
