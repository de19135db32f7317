package com.streamloom.media.ingest;

import com.streamloom.spec.HostRules;
import com.streamloom.spec.SourceSpec;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link PullSource}, each a named limit with a safe default.
 *
 * @param connectTimeout        how long opening the URL (connect, RTSP DESCRIBE/SETUP/PLAY, RTMP handshake) and
 *                              probing the streams may take
 * @param readTimeout           longest silence while live before the connection is declared dead
 * @param rtspTransport         tcp (interleaved in the RTSP connection) or udp; ignored for RTMP
 * @param initialBackoff        first delay before reconnecting; doubles per failed attempt
 * @param maxBackoff            upper bound of the reconnect delay
 * @param healthyAfter          a session that delivered media this long resets the back-off
 * @param probeSize             bytes libavformat may read to identify the streams; small for low start-up latency
 * @param analyzeDuration       media time libavformat may read to identify the streams
 * @param failureSummaryEvery   while a pull keeps failing, how often the log sums up the attempts (the first
 *                              failure is logged at once, the retries in between are not)
 * @param outbound              the hosts a pull may connect to, checked on the resolved addresses of every attempt
 */
public record PullSettings(Duration connectTimeout, Duration readTimeout, String rtspTransport,
                           Duration initialBackoff, Duration maxBackoff, Duration healthyAfter, int probeSize,
                           Duration analyzeDuration, Duration failureSummaryEvery, HostRules outbound) {
    public PullSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (connectTimeout.toMillis() < 100 || readTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("timeouts must be at least 100 ms");
        }
        if (!"tcp".equals(rtspTransport) && !"udp".equals(rtspTransport)) {
            throw new IllegalArgumentException("rtspTransport must be tcp or udp, got " + rtspTransport);
        }
        new ReconnectBackoff(initialBackoff, maxBackoff, () -> 0); // validates the pair
        if (probeSize < 32) {
            throw new IllegalArgumentException("probeSize must be at least 32 bytes");
        }
        Objects.requireNonNull(failureSummaryEvery, "failureSummaryEvery");
        if (failureSummaryEvery.toMillis() < 100) {
            throw new IllegalArgumentException("failureSummaryEvery must be at least 100 ms");
        }
        Objects.requireNonNull(outbound, "outbound");
    }

    public static PullSettings defaults() {
        return new PullSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), "tcp", Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofSeconds(60), 64 * 1024, Duration.ofMillis(500),
                Duration.ofMinutes(1), HostRules.defaults());
    }

    /** Settings for a pull source of a stream spec: its transport and its timeout for connect and read. */
    public static PullSettings of(SourceSpec source) {
        PullSettings d = defaults();
        Duration timeout = source.timeoutMs() == null ? d.connectTimeout : Duration.ofMillis(source.timeoutMs());
        String transport = source.transport() == null ? "tcp" : source.transport();
        return d.withTimeouts(timeout, timeout).withRtspTransport(transport);
    }

    public PullSettings withTimeouts(Duration connect, Duration read) {
        return new PullSettings(connect, read, rtspTransport, initialBackoff, maxBackoff, healthyAfter, probeSize,
                analyzeDuration, failureSummaryEvery, outbound);
    }

    public PullSettings withRtspTransport(String transport) {
        return new PullSettings(connectTimeout, readTimeout, transport, initialBackoff, maxBackoff, healthyAfter,
                probeSize, analyzeDuration, failureSummaryEvery, outbound);
    }

    public PullSettings withBackoff(Duration initial, Duration max) {
        return new PullSettings(connectTimeout, readTimeout, rtspTransport, initial, max, healthyAfter, probeSize,
                analyzeDuration, failureSummaryEvery, outbound);
    }

    /** These settings with the node's rules for the hosts a pull may reach. */
    public PullSettings withOutbound(HostRules rules) {
        return new PullSettings(connectTimeout, readTimeout, rtspTransport, initialBackoff, maxBackoff, healthyAfter,
                probeSize, analyzeDuration, failureSummaryEvery, rules);
    }

    public PullSettings withFailureSummaryEvery(Duration every) {
        return new PullSettings(connectTimeout, readTimeout, rtspTransport, initialBackoff, maxBackoff, healthyAfter,
                probeSize, analyzeDuration, every, outbound);
    }
}
