package com.streamloom.media.rtmp;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Open connections of one server, in total and per remote address ([rtmp.max-connections],
 * [rtmp.max-connections-per-address]); shared by its TLS and plain ports. Connections are accepted on several event
 * loops, hence the lock; it is held for a map update per connect and close.
 */
final class ConnectionCounts {
    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionCounts(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Counts a new connection from {@code address} if both limits allow it.
     *
     * @return null when counted, else the limit that refuses it (then nothing was counted)
     */
    synchronized RtmpLimit tryOpen(InetAddress address) {
        if (total >= maxTotal) {
            return RtmpLimit.CONNECTIONS;
        }
        int fromAddress = perAddress.getOrDefault(address, 0);
        if (fromAddress >= maxPerAddress) {
            return RtmpLimit.CONNECTIONS_PER_ADDRESS;
        }
        perAddress.put(address, fromAddress + 1);
        total++;
        return null;
    }

    /** Forgets a connection that {@link #tryOpen} counted. */
    synchronized void closed(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
        total--;
    }

    synchronized int open() {
        return total;
    }

    String describe(RtmpLimit refused, InetAddress address) {
        return refused == RtmpLimit.CONNECTIONS
                ? "the server holds " + maxTotal + " connections already (rtmp.max-connections)"
                : address.getHostAddress() + " holds " + maxPerAddress
                        + " connections already (rtmp.max-connections-per-address)";
    }
}
