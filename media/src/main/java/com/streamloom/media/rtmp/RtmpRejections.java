package com.streamloom.media.rtmp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts connections closed for breaking a server-wide limit, as {@code streamloom_rtmp_rejected_total} with a
 * {@code reason} label; every reason is registered at zero, so a dashboard sees the series before the first
 * rejection. A connection is counted once, under the first limit it broke, however many follow while it closes.
 */
public final class RtmpRejections {
    private static final Logger log = LoggerFactory.getLogger(RtmpRejections.class);
    private static final AttributeKey<RtmpLimit> REJECTED = AttributeKey.valueOf(RtmpRejections.class, "rejected");

    private final Map<RtmpLimit, Counter> counters = new EnumMap<>(RtmpLimit.class);

    public RtmpRejections(MeterRegistry registry) {
        for (RtmpLimit limit : RtmpLimit.values()) {
            counters.put(limit, Counter.builder("streamloom.rtmp.rejected").tag("reason", limit.label())
                    .description("RTMP connections closed for breaking a server-wide limit").register(registry));
        }
    }

    /**
     * Counts {@code channel} as rejected for {@code limit} unless it was counted already.
     *
     * @return whether this call counted it
     */
    public boolean reject(Channel channel, RtmpLimit limit, String description) {
        if (channel.attr(REJECTED).setIfAbsent(limit) != null) {
            return false;
        }
        counters.get(limit).increment();
        if (limit == RtmpLimit.CONNECTIONS || limit == RtmpLimit.CONNECTIONS_PER_ADDRESS) {
            // A flood of connections costs the flooder nothing; it must not cost us a log line each.
            log.debug("closing RTMP connection from {}: {}", channel.remoteAddress(), description);
        } else {
            log.info("closing RTMP connection from {}: {}", channel.remoteAddress(), description);
        }
        return true;
    }

    /** How many connections were rejected for {@code limit}. */
    public long count(RtmpLimit limit) {
        return (long) counters.get(limit).count();
    }
}
