package com.streamloom.media.rtmp;

import com.streamloom.media.ingest.ReconnectBackoff;
import com.streamloom.media.net.OutboundAddress;
import com.streamloom.spec.HostRules;
import com.streamloom.spec.SpecException;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forwards a stream to an RTMP server and keeps doing so: an edge pushes its processed output to a compositor with
 * this. It is a {@link MediaSink}, so it plugs in wherever packets flow.
 *
 * <ul>
 *   <li>Reconnects with the {@link ReconnectBackoff} pulls use (0.5 s doubling to 10 s by default, less up to a
 *       quarter of jitter), reset once a publish succeeds.</li>
 *   <li>A bounded queue between the caller and the network: when it is full, or the connection is down, media
 *       packets are dropped and counted, never buffered without bound. After a dropped video packet, video resumes
 *       at the next keyframe, so the receiver never decodes frames whose references are missing.</li>
 *   <li>Remembers the last video and audio configuration and sends them first on every new connection, followed by
 *       video from the next keyframe.</li>
 * </ul>
 * {@link #accept} never blocks and may be called from any thread; networking runs on one event loop thread.
 */
public final class RtmpPublisher implements MediaSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpPublisher.class);

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final int DEFAULT_QUEUE_PACKETS = 512;

    private final RtmpUrl url;
    private final RtmpSettings settings;
    private final int queueCapacity;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    // Guarded by "this": shared between callers of accept() and the event loop.
    private final ArrayDeque<MediaPacket> queue = new ArrayDeque<>();
    private MediaPacket lastVideoConfig;
    private MediaPacket lastAudioConfig;
    private long lastDtsMicros;
    private boolean awaitingVideoKeyframe = true;
    private long dropped;

    // Written on the event loop only.
    private volatile RtmpClient client;
    private final ReconnectBackoff backoff;
    /** The hosts this publisher may connect to. */
    private final HostRules outbound;
    /** Why the last connection attempt failed, or null while none has. */
    private volatile String lastFailure;
    private volatile boolean closed;
    private volatile long publishes;

    public RtmpPublisher(RtmpUrl url, RtmpSettings settings) {
        this(url, settings, DEFAULT_QUEUE_PACKETS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    public RtmpPublisher(RtmpUrl url, RtmpSettings settings, int queueCapacity, Duration initialBackoff,
                         Duration maxBackoff) {
        this(url, settings, queueCapacity, initialBackoff, maxBackoff, HostRules.defaults());
    }

    /** Publishing only to a host that {@code outbound} allows, checked on its resolved address at every connect. */
    public RtmpPublisher(RtmpUrl url, RtmpSettings settings, HostRules outbound) {
        this(url, settings, DEFAULT_QUEUE_PACKETS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, outbound);
    }

    public RtmpPublisher(RtmpUrl url, RtmpSettings settings, int queueCapacity, Duration initialBackoff,
                         Duration maxBackoff, HostRules outbound) {
        this.outbound = java.util.Objects.requireNonNull(outbound, "outbound");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive");
        }
        this.url = url;
        this.settings = settings;
        this.queueCapacity = queueCapacity;
        this.backoff = new ReconnectBackoff(initialBackoff, maxBackoff,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Starts connecting; returns at once. */
    public RtmpPublisher start() {
        loop.execute(this::connect);
        return this;
    }

    @Override
    public void accept(MediaPacket packet) {
        synchronized (this) {
            lastDtsMicros = packet.dtsMicros();
            if (packet.config()) {
                if (packet.isVideo()) {
                    lastVideoConfig = packet;
                } else {
                    lastAudioConfig = packet;
                }
                // Configurations are tiny and rare and must not be lost; the bound still holds at twice the size.
                if (queue.size() < 2 * queueCapacity) {
                    queue.add(packet);
                }
            } else if (packet.isVideo() && awaitingVideoKeyframe && !packet.keyframe()) {
                dropped++;
                return;
            } else if (client == null || queue.size() >= queueCapacity) {
                dropped++;
                if (packet.isVideo()) {
                    awaitingVideoKeyframe = true;
                }
                return;
            } else {
                if (packet.isVideo()) {
                    awaitingVideoKeyframe = false;
                }
                queue.add(packet);
            }
        }
        scheduleDrain();
    }

    /** The source stopped: drop what is queued; the next source starts at its configuration and a keyframe. */
    @Override
    public synchronized void end(String reason) {
        dropped += queue.size();
        queue.clear();
        awaitingVideoKeyframe = true;
    }

    /** Packets dropped because the queue was full, the connection was down, or video waited for a keyframe. */
    public synchronized long droppedPackets() {
        return dropped;
    }

    /** How many times a publish has started (1 after the first connection, +1 per reconnect). */
    public long publishes() {
        return publishes;
    }

    /** Why the last connection attempt failed (a refused host, an I/O error), or null while none has. */
    public String lastFailure() {
        return lastFailure;
    }

    public boolean isPublishing() {
        RtmpClient c = client;
        return c != null && c.isOpen();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** Event loop: moves queued packets to the connection while it can take them. */
    private void drain() {
        RtmpClient c = client;
        if (c == null) {
            return;
        }
        boolean wrote = false;
        while (c.isWritable()) {
            MediaPacket next;
            synchronized (this) {
                next = queue.poll();
            }
            if (next == null) {
                break;
            }
            c.write(next);
            wrote = true;
        }
        if (wrote) {
            c.flush();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        InetSocketAddress remote;
        try {
            // resolved and checked once; the connection goes to this address, never to a second lookup's answer
            remote = new InetSocketAddress(OutboundAddress.resolve(outbound, "output.forwardUrls", url.host()),
                    url.port());
        } catch (SpecException e) {
            lastFailure = e.getMessage();
            Duration delay = backoff.next();
            log.warn("RTMP publish to {} not attempted: {}; checking again in {} ms", url, e.getMessage(),
                    delay.toMillis());
            scheduleReconnect(delay);
            return;
        }
        RtmpClient.publish(group, url, remote, settings, this::drain).whenCompleteAsync((c, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                lastFailure = String.valueOf(cause.getMessage());
                Duration delay = backoff.next();
                log.info("RTMP publish to {} failed: {}; retrying in {} ms", url, cause.getMessage(),
                        delay.toMillis());
                scheduleReconnect(delay);
                return;
            }
            if (closed) {
                c.close();
                return;
            }
            onPublishing(c);
        }, loop);
    }

    private void onPublishing(RtmpClient c) {
        publishes++;
        backoff.reset();
        log.info("RTMP publishing to {}", url);
        synchronized (this) {
            client = c;
            // The new connection starts with the codec configuration and then a keyframe.
            // Media queued for the old connection is stale; its configurations are replaced by the latest ones.
            dropped += queue.stream().filter(p -> !p.config()).count();
            queue.clear();
            if (lastVideoConfig != null) {
                queue.add(lastVideoConfig.withTimes(lastDtsMicros, lastDtsMicros));
            }
            if (lastAudioConfig != null) {
                queue.add(lastAudioConfig.withTimes(lastDtsMicros, lastDtsMicros));
            }
            awaitingVideoKeyframe = true;
        }
        c.closeFuture().addListener(f -> loop.execute(() -> {
            synchronized (this) {
                client = null;
            }
            if (!closed) {
                Duration delay = backoff.next();
                log.info("RTMP connection to {} lost; reconnecting in {} ms", url, delay.toMillis());
                scheduleReconnect(delay);
            }
        }));
        drain();
    }

    private void scheduleReconnect(Duration delay) {
        if (closed) {
            return;
        }
        loop.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Unpublishes, closes the connection and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        loop.execute(() -> {
            RtmpClient c = client;
            if (c != null) {
                drain();
                c.close();
            }
        });
        group.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
