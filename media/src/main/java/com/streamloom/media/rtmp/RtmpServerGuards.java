package com.streamloom.media.rtmp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What all connections of one RTMP server share to keep its server-wide limits: the connection counts, the budget
 * for unfinished messages and the count of rejected connections; a TLS port and its plain port share one. Also
 * exports {@code streamloom_rtmp_connections} and {@code streamloom_rtmp_buffered_bytes}.
 */
public final class RtmpServerGuards {
    private final RtmpSettings settings;
    private final ConnectionCounts connections;
    private final BufferBudget budget;
    private final RtmpRejections rejections;

    public RtmpServerGuards(RtmpSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.connections = new ConnectionCounts(settings.maxConnections(), settings.maxConnectionsPerAddress());
        this.budget = new BufferBudget(settings.maxNodeBufferBytes());
        this.rejections = new RtmpRejections(registry);
        Gauge.builder("streamloom.rtmp.connections", connections, ConnectionCounts::open)
                .description("open RTMP connections").register(registry);
        Gauge.builder("streamloom.rtmp.buffered", budget, BufferBudget::reserved).baseUnit("bytes")
                .description("bytes held in unfinished RTMP messages over all connections").register(registry);
    }

    /**
     * Counts a new connection, or closes it when a connection limit refuses it (before TLS or the handshake
     * cost anything; the protocol has no way to say why yet). A counted connection is forgotten when it closes.
     *
     * @return whether the connection was admitted
     */
    public boolean admit(Channel channel) {
        InetAddress address = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        RtmpLimit refused = connections.tryOpen(address);
        if (refused != null) {
            rejections.reject(channel, refused, connections.describe(refused, address));
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(f -> connections.closed(address));
        return true;
    }

    public RtmpSettings settings() {
        return settings;
    }

    public BufferBudget budget() {
        return budget;
    }

    public RtmpRejections rejections() {
        return rejections;
    }

    public int openConnections() {
        return connections.open();
    }
}
