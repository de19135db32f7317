package com.streamloom.node.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.SocketUtils;
import io.vertx.core.impl.transports.JDKTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vert.x's JDK (NIO) transport with a gate at accept: beyond {@link HttpServerSettings#maxConnections()} open
 * connections (all listeners of the server together) a new one is closed at once, before any byte is read, and
 * each admitted one starts with a {@link ConnectionGuard}. Vert.x's HTTP server sees a connection only once its
 * first request head is parsed, too late for both limits, so they sit at the socket.
 */
final class GuardedTransport extends JDKTransport {
    private static final Logger log = LoggerFactory.getLogger(GuardedTransport.class);

    private final HttpServerSettings settings;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private volatile Runnable onAccept = () -> { };

    GuardedTransport(HttpServerSettings settings) {
        this.settings = settings;
    }

    /** Runs on the acceptor thread for every admitted connection, before it is read (quick work only). */
    void onAccept(Runnable hook) {
        this.onAccept = hook;
    }

    /** Connections open now, over all listeners. */
    int openConnections() {
        return open.size();
    }

    /** Response bytes waiting to be sent, over all open connections. */
    long queuedBytes() {
        long sum = 0;
        for (Channel channel : open) {
            sum += ConnectionGuard.queuedBytes(channel);
        }
        return sum;
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        if (domainSocket) {
            return super.serverChannelFactory(true);
        }
        return GatedServerChannel::new;
    }

    private final class GatedServerChannel extends NioServerSocketChannel {
        @Override
        protected int doReadMessages(List<Object> buf) throws Exception {
            SocketChannel accepted = SocketUtils.accept(javaChannel());
            if (accepted == null) {
                return 0;
            }
            if (open.size() >= settings.maxConnections()) {
                log.debug("HTTP connection from {} refused: {} open", accepted.getRemoteAddress(), open.size());
                close(accepted);
                return 0;
            }
            try {
                onAccept.run();
            } catch (RuntimeException e) {
                log.warn("accept hook failed: {}", e.toString());
            }
            try {
                NioSocketChannel child = new NioSocketChannel(this, accepted);
                child.pipeline().addFirst("connectionGuard", new ConnectionGuard(settings));
                open.add(child);
                child.closeFuture().addListener(f -> open.remove(child));
                buf.add(child);
                return 1;
            } catch (RuntimeException e) {
                close(accepted);
                throw e;
            }
        }

        private void close(SocketChannel accepted) {
            try {
                accepted.close();
            } catch (IOException e) {
                log.debug("closing a refused connection failed: {}", e.toString());
            }
        }
    }
}
