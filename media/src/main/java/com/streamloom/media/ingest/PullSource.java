package com.streamloom.media.ingest;

import com.streamloom.media.codec.FfmpegLog;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pulls a stream from an RTSP camera (TCP or UDP transport) or an RTMP origin through libavformat and delivers it to
 * a {@link MediaSink} as MediaPackets: H.264 in AVCC with avcC config packets, AAC raw with AudioSpecificConfig.
 *
 * <p>One daemon thread per source does everything: connect, read, reconnect. Each connection is a
 * {@link PullSession} under an {@link IoDeadline} (no FFmpeg call blocks longer than its timeout), its packets
 * converted by a {@link PacketConverter}. Every session's timestamps continue after the previous session's (plus the
 * wall-clock gap, {@link SessionTimeline}), and a session that delivered ends with {@link MediaSink#end(String)}
 * before the next one starts, so downstream sees one monotonic clock with marked discontinuities. Between attempts
 * the thread waits by a {@link ReconnectBackoff}; the log gets the first failure and then a summary per interval
 * ({@link FailureLog}), while {@link #status()} always has the last reason in words.
 */
public final class PullSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullSource.class);

    public enum State { CONNECTING, LIVE, RECONNECTING, STOPPED }

    /**
     * What status pages show.
     *
     * @param lastError  the reason the last connection failed or ended, in words, or null if none has
     * @param sessions   connections that delivered media
     * @param packets    packets delivered to the sink in total
     */
    public record Status(State state, String lastError, long sessions, long packets) {
    }

    private final String name;
    private final String url;
    private final PullSettings settings;
    private final MediaSink sink;
    private final Thread worker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopSignal = lock.newCondition();
    private final ReconnectBackoff backoff;
    private final SessionTimeline timeline = new SessionTimeline();
    private final FailureLog failures;

    private volatile boolean stopRequested;
    private volatile State state = State.CONNECTING;
    private volatile String lastError;
    private volatile long sessions;
    private volatile long packets;

    /**
     * @param name a short name for logs and the thread name (never a URL with credentials)
     * @param url  rtsp://, rtsps://, rtmp:// or rtmps://
     */
    public PullSource(String name, String url, PullSettings settings, MediaSink sink) {
        this(name, url, settings, sink, LOG);
    }

    /** With the logger its failures are written to. */
    PullSource(String name, String url, PullSettings settings, MediaSink sink, Logger log) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        if (!(url.startsWith("rtsp://") || url.startsWith("rtsps://") || url.startsWith("rtmp://")
                || url.startsWith("rtmps://"))) {
            throw new IllegalArgumentException("pull URL must be rtsp://, rtsps://, rtmp:// or rtmps://");
        }
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.backoff = new ReconnectBackoff(settings.initialBackoff(), settings.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.failures = new FailureLog(log, name, settings.failureSummaryEvery(), System::nanoTime);
        this.worker = new Thread(FfmpegLog.named(name, this::run), "pull-" + name);
        this.worker.setDaemon(true);
    }

    /** Starts the worker thread; a source starts once. */
    public PullSource start() {
        worker.start();
        return this;
    }

    public State state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }

    public Status status() {
        return new Status(state, lastError, sessions, packets);
    }

    /**
     * Stops pulling: aborts any blocked FFmpeg call through the interrupt callback and waits up to a second for the
     * worker to close the connection. Safe to call more than once and from the sink's own callbacks.
     */
    public void stop() {
        stopRequested = true;
        lock.lock();
        try {
            stopSignal.signalAll();
        } finally {
            lock.unlock();
        }
        if (worker.getState() == Thread.State.NEW) {
            state = State.STOPPED; // never started: nothing to close
        }
        if (Thread.currentThread() != worker && worker.isAlive()) {
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                LOG.warn("pull {}: worker still closing the connection after 1 s", name);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The worker thread, for tests that check it ends. */
    Thread worker() {
        return worker;
    }

    private void run() {
        try (IoDeadline deadline = new IoDeadline(() -> stopRequested)) {
            PullSession session = new PullSession(url, settings, deadline, () -> stopRequested);
            boolean first = true;
            while (!stopRequested) {
                state = first ? State.CONNECTING : State.RECONNECTING;
                first = false;
                Delivery delivery = new Delivery();
                timeline.newSession();
                String endReason;
                try (PacketConverter converter = new PacketConverter(name, timeline)) {
                    session.run(converter, delivery);
                    endReason = "stream ended";
                } catch (PullFailure e) {
                    endReason = e.getMessage();
                } catch (RuntimeException e) {
                    LOG.error("pull {}: unexpected failure", name, e);
                    endReason = "internal error: " + e;
                }
                if (stopRequested) {
                    endReason = "stopped";
                } else {
                    lastError = endReason;
                    failures.failed(endReason);
                }
                if (delivery.count > 0) {
                    endSink(endReason);
                }
                if (delivery.healthy()) {
                    backoff.reset();
                }
                if (!stopRequested) {
                    state = State.RECONNECTING;
                    awaitStop(backoff.next());
                }
            }
        } finally {
            state = State.STOPPED;
        }
    }

    private void endSink(String reason) {
        try {
            sink.end(reason);
        } catch (RuntimeException e) {
            LOG.error("pull {}: sink failed on end", name, e);
        }
    }

    private void awaitStop(Duration delay) {
        long remaining = delay.toNanos();
        lock.lock();
        try {
            while (!stopRequested && remaining > 0) {
                remaining = stopSignal.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            stopRequested = true;
        } finally {
            lock.unlock();
        }
    }

    /** Hands one session's packets to the sink and counts them. */
    private final class Delivery implements java.util.function.Consumer<MediaPacket> {
        private long count;
        private long firstNanos;
        private long lastNanos;

        @Override
        public void accept(MediaPacket packet) {
            long now = System.nanoTime();
            if (count == 0) {
                firstNanos = now;
                sessions++;
                state = State.LIVE;
                failures.live();
            }
            count++;
            packets++;
            lastNanos = now;
            timeline.delivered(now);
            sink.accept(packet);
        }

        /** Delivered media long enough that the back-off starts over. */
        boolean healthy() {
            return count > 0 && lastNanos - firstNanos >= settings.healthyAfter().toNanos();
        }
    }
}
