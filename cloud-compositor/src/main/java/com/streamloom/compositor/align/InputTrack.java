package com.streamloom.compositor.align;

import com.streamloom.media.frame.VideoFrame;

import java.util.ArrayDeque;

/**
 * The video side of one composition input: a bounded jitter buffer of decoded frames, each due at
 * {@code clock.toWall(pts) + jitter}, from which the output clock takes, at each output time, the newest frame that
 * is due. A frame arriving more than one frame interval after its due time (later than the jitter allows), or
 * behind the frame already shown, is dropped and counted; when the buffer is full the oldest waiting frame is dropped and counted.
 *
 * <p>An input that stops keeps its last frame for {@code holdMs} after its next frame would have been due, then
 * shows "no signal"; frames that arrive later bring the picture back without any action of the output.
 *
 * <p>Ownership: {@link #push} takes the frame. The frame in a {@link Picture} stays owned by the track and is valid
 * until the next {@link #pictureAt} or {@link #close} — both called only by the output thread — so the renderer can
 * read it without holding a lock while the decode thread keeps pushing.
 */
public final class InputTrack implements AutoCloseable {
    /** What an input shows at one output time. */
    public enum State { PICTURE, NO_SIGNAL }

    /** {@code frame} is null for {@link State#NO_SIGNAL}; it is borrowed, see the class comment. */
    public record Picture(State state, VideoFrame frame) {
        static final Picture NO_SIGNAL = new Picture(State.NO_SIGNAL, null);
    }

    /** Counters since the track was created. */
    public record Stats(long received, long late, long overflow, long superseded, long shown, int buffered,
                        long clockResets) {
    }

    /** The largest frame gap taken as "the input's frame interval" when deciding it stopped. */
    static final long MAX_FRAME_GAP_MICROS = 1_000_000;

    private record Pending(VideoFrame frame, long dueMicros) {
    }

    private final String name;
    private final InputClock clock;
    private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
    private volatile long jitterMicros;
    private volatile long holdMicros;
    private final int capacity;

    private VideoFrame current;
    private long currentDue = Long.MIN_VALUE;
    private long lastQueuedDue = Long.MIN_VALUE;
    private long lastPts = Long.MIN_VALUE;
    private long frameGapMicros;
    private long received, late, overflow, superseded, shown;

    /**
     * @param capacity most frames waiting in the jitter buffer (at least 1); a sender faster than the jitter
     *                 allows loses its oldest waiting frames
     */
    public InputTrack(String name, InputClock clock, int jitterMs, int holdMs, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.name = name;
        this.clock = clock;
        this.capacity = capacity;
        setTiming(jitterMs, holdMs);
    }

    /** A buffer holding the jitter's worth of frames at up to 60 frames per second, plus a little slack. */
    public static int capacityFor(int jitterMs) {
        return jitterMs * 60 / 1000 + 4;
    }

    public String name() {
        return name;
    }

    /** Applies a changed spec to a running input. */
    public void setTiming(int jitterMs, int holdMs) {
        this.jitterMicros = jitterMs * 1000L;
        this.holdMicros = holdMs * 1000L;
    }

    /** Takes ownership of a decoded frame that arrived (its packet arrived) at {@code arrivalMicros}. */
    public void push(VideoFrame frame, long arrivalMicros) {
        VideoFrame dropped = null;
        synchronized (this) {
            received++;
            long lateness = clock.observe(frame.ptsMicros(), arrivalMicros);
            long due = clock.toWall(frame.ptsMicros()) + jitterMicros;
            // Too late: its slot on the screen is over (it arrived after its own due time plus one frame interval,
            // when its successor would already be due), or it is not newer than what is already shown or queued.
            if (lateness > jitterMicros + frameGapMicros || due <= Math.max(currentDue, lastQueuedDue)) {
                late++;
                dropped = frame;
            } else {
                if (lastPts != Long.MIN_VALUE && frame.ptsMicros() > lastPts) {
                    frameGapMicros = Math.min(MAX_FRAME_GAP_MICROS, frame.ptsMicros() - lastPts);
                }
                lastPts = frame.ptsMicros();
                if (buffer.size() >= capacity) {
                    overflow++;
                    dropped = buffer.pollFirst().frame();
                }
                buffer.addLast(new Pending(frame, due));
                lastQueuedDue = due;
            }
        }
        if (dropped != null) dropped.close();
    }

    /**
     * The picture this input shows at output wall time {@code nowMicros}: the newest frame due by then (older due
     * frames are skipped and closed), the previous one while the input is late by less than the hold time, or no
     * signal. Called by the output thread only.
     */
    public Picture pictureAt(long nowMicros) {
        VideoFrame previous;
        Picture picture;
        synchronized (this) {
            previous = current;
            while (!buffer.isEmpty() && buffer.peekFirst().dueMicros() <= nowMicros) {
                Pending p = buffer.pollFirst();
                if (current != null && current != previous) {
                    // Due but never shown: a newer frame is due at the same output time (a faster input).
                    superseded++;
                    current.close();
                }
                current = p.frame();
                currentDue = p.dueMicros();
            }
            if (current != previous) shown++;
            boolean stopped = buffer.isEmpty() && nowMicros > currentDue + frameGapMicros + holdMicros;
            picture = current == null || stopped ? Picture.NO_SIGNAL : new Picture(State.PICTURE, current);
        }
        // The previous picture was rendered in the last tick, which is over: it can go now.
        if (previous != null && previous != current) previous.close();
        return picture;
    }

    /**
     * The publisher went away: forget the clock mapping so a new publisher (whose timestamps may restart at 0)
     * anchors afresh; frames already buffered still play out, then the hold and the slate follow.
     */
    public void end() {
        clock.reset();
        synchronized (this) {
            lastPts = Long.MIN_VALUE;
            lastQueuedDue = Long.MIN_VALUE;
        }
    }

    public synchronized Stats stats() {
        return new Stats(received, late, overflow, superseded, shown, buffer.size(), clock.resets());
    }

    /** Frees every frame; called by the output thread when the input is removed or the composition stops. */
    @Override
    public synchronized void close() {
        buffer.forEach(p -> p.frame().close());
        buffer.clear();
        if (current != null) current.close();
        current = null;
    }
}
