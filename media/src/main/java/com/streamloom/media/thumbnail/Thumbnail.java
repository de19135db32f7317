package com.streamloom.media.thumbnail;

import com.streamloom.media.frame.VideoFrame;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One output's latest picture as a JPEG thumbnail. The output thread {@link #offer}s every picture it encodes; at
 * most one per interval is copied and kept (a copy, not a reference: the pipeline's buffers belong to it), so
 * keeping costs one picture copy per interval and nothing on the other frames. No JPEG is made then: a request
 * encodes one lazily ({@link #jpeg}), and its bytes are kept until a newer picture exists, so any number of viewers
 * polling cost one encode per interval per width.
 *
 * <p>Memory is bounded: one kept picture (briefly two, while a request encodes the previous one), and the JPEGs of
 * the current picture for at most {@link #CACHED_WIDTHS} widths. Threads: {@link #offer} from the output thread,
 * {@link #jpeg} from any (one request encodes at a time; others wait for its bytes), {@link #close} from any. The
 * output thread never waits for an encode: swapping the kept picture takes a short lock that no encode holds.
 */
public final class Thumbnail implements AutoCloseable {
    /** How many widths of the current picture are kept encoded (the least recently asked one goes first). */
    static final int CACHED_WIDTHS = 4;

    private final Clock clock;
    private final long intervalMillis;
    /** When the output thread last kept a picture; only that thread writes it. */
    private volatile long keptAtMillis;
    private volatile boolean kept;

    private final Object pictureLock = new Object();
    private Kept current;          // guarded by pictureLock
    private long sequence;         // guarded by pictureLock
    private boolean closed;        // guarded by pictureLock

    private final Object encodeLock = new Object();
    private long encodedSequence = -1;  // guarded by encodeLock
    private final Map<Integer, byte[]> encoded =   // guarded by encodeLock
            new LinkedHashMap<>(CACHED_WIDTHS * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                    return size() > CACHED_WIDTHS;
                }
            };
    private final AtomicLong encodes = new AtomicLong();

    /** @param intervalMillis at most one picture is kept per this many milliseconds (at least 1) */
    public Thumbnail(Clock clock, long intervalMillis) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("a thumbnail interval is at least 1 ms, got " + intervalMillis);
        }
        this.clock = clock;
        this.intervalMillis = intervalMillis;
    }

    /**
     * The output's next picture, borrowed: copied if the kept one is at least an interval old (or none is kept yet,
     * or the clock went back), else ignored. Never blocks on a request.
     */
    public void offer(VideoFrame picture) {
        long now = clock.millis();
        if (kept && now >= keptAtMillis && now - keptAtMillis < intervalMillis) {
            return;
        }
        keptAtMillis = now;
        kept = true;
        Kept next = new Kept(picture.copy());
        Kept previous;
        synchronized (pictureLock) {
            if (closed) {
                previous = next;
            } else {
                previous = current;
                current = next;
                next.sequence = ++sequence;
            }
        }
        release(previous);
    }

    /**
     * The latest kept picture as a JPEG {@code width} pixels wide, its height in the picture's aspect ratio; null
     * while no picture was kept (or after {@link #close}). Encodes only if this width of this picture is not cached.
     */
    public byte[] jpeg(int width) {
        synchronized (encodeLock) {
            Kept picture = acquire();
            if (picture == null) {
                return null;
            }
            try {
                if (picture.sequence != encodedSequence) {
                    encoded.clear();
                    encodedSequence = picture.sequence;
                }
                byte[] jpeg = encoded.get(width);
                if (jpeg == null) {
                    jpeg = JpegPicture.encode(picture.frame, width);
                    encodes.incrementAndGet();
                    encoded.put(width, jpeg);
                }
                return jpeg;
            } finally {
                release(picture);
            }
        }
    }

    /** How many JPEGs were encoded so far (cache misses). */
    public long encodes() {
        return encodes.get();
    }

    /** Frees the kept picture (once no request is encoding it); later pictures are not kept. */
    @Override
    public void close() {
        Kept last;
        synchronized (pictureLock) {
            closed = true;
            last = current;
            current = null;
        }
        release(last);
        synchronized (encodeLock) {
            encoded.clear();
        }
    }

    private Kept acquire() {
        synchronized (pictureLock) {
            if (current == null) {
                return null;
            }
            current.users++;
            return current;
        }
    }

    /** Drops one user of {@code picture}; the last one frees it. */
    private void release(Kept picture) {
        if (picture == null) {
            return;
        }
        boolean free;
        synchronized (pictureLock) {
            free = --picture.users == 0;
        }
        if (free) {
            picture.frame.close();
        }
    }

    /** A kept copy and how many hold it: the slot that keeps it, plus each request encoding it. */
    private static final class Kept {
        final VideoFrame frame;
        long sequence;
        int users = 1;   // guarded by the thumbnail's pictureLock

        Kept(VideoFrame frame) {
            this.frame = frame;
        }
    }
}
