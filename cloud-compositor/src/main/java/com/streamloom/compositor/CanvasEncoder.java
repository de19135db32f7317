package com.streamloom.compositor;

import com.streamloom.compositor.render.Renderer;
import com.streamloom.media.codec.FfmpegLog;
import com.streamloom.media.codec.VideoEncoder;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.pipeline.BoundedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/**
 * Encodes a composition's canvases on a thread of its own, so that the output thread renders canvas n+1 while
 * canvas n is being encoded (render and encode used to run one after the other inside the tick).
 *
 * <p>The hand-off is a one-frame bounded queue (GStreamer's {@code queue} with {@code max-size-buffers=1}) that
 * blocks the output thread when the encoder is a frame behind: back-pressure, not a drop, so a canvas is either
 * encoded or its tick is skipped by the output clock, which counts it (see {@link Composition#MAX_TICKS_BEHIND}).
 * The canvas is handed over as a reference to its buffers ({@code av_frame_clone}), no copy; the {@link Renderer}
 * draws the next canvas into a buffer nobody references, and its ring of {@link Renderer#CANVASES} covers the one
 * being drawn, the one queued and the one being encoded.
 *
 * <p>The {@link VideoEncoder} is owned from the constructor on; it and the packet consumer are used by the encoder
 * thread only. {@link #close} encodes what is queued, joins the thread and frees the encoder. A frame that fails to
 * encode is counted and logged; the next keyframe heals the stream.
 */
public final class CanvasEncoder implements Consumer<VideoFrame>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CanvasEncoder.class);

    private final String name;
    private final VideoEncoder encoder;
    private final Consumer<MediaPacket> out;
    private final Consumer<VideoFrame> pictures;
    private final BoundedQueue<VideoFrame> handOff =
            new BoundedQueue<>(1, BoundedQueue.LeakPolicy.DROP_NEWEST, VideoFrame::close);
    private final Thread thread;
    private final AtomicLong encoded = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final FrameRate rate = new FrameRate();
    private volatile double encodeMillis;
    private volatile String lastError;
    private volatile boolean running = true;

    /**
     * @param name    for the thread's name and the log
     * @param encoder owned from now on (freed by {@link #close})
     * @param out     receives the encoded packets on the encoder thread (the HLS packager, a counter)
     */
    public CanvasEncoder(String name, VideoEncoder encoder, Consumer<MediaPacket> out) {
        this(name, encoder, out, picture -> { });
    }

    /**
     * @param pictures shown each canvas, borrowed, on the encoder thread just before it is encoded (the
     *                 composition's thumbnail); it must be quick
     */
    public CanvasEncoder(String name, VideoEncoder encoder, Consumer<MediaPacket> out, Consumer<VideoFrame> pictures) {
        this.name = name;
        this.encoder = encoder;
        this.out = out;
        this.pictures = pictures;
        this.thread = new Thread(FfmpegLog.named(name, this::work), "compositor-" + name + "-encoder");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Takes a reference to the (borrowed) canvas and queues it; waits while the encoder is a frame behind. Called
     * by the output thread.
     */
    @Override
    public void accept(VideoFrame canvas) {
        VideoFrame ref = VideoFrame.adopt(av_frame_clone(canvas.avFrame()), canvas.ptsMicros());
        try {
            handOff.put(ref);             // false once closed: the queue has then closed the frame itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ref.close();
        }
    }

    private void work() {
        while (running || handOff.size() > 0) {
            VideoFrame frame;
            try {
                frame = handOff.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (frame == null) continue;
            try {
                encode(frame);
            } finally {
                frame.close();            // releases the renderer's canvas for reuse
            }
        }
    }

    private void encode(VideoFrame frame) {
        long start = System.nanoTime();
        try {
            pictures.accept(frame);
            encoder.encode(frame, out);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            lastError = "encode failed: " + e.getMessage();
            LOG.warn("composition {}: {}", name, lastError);
            return;
        }
        long end = System.nanoTime();
        encoded.incrementAndGet();
        rate.record(end);
        encodeMillis = (end - start) / 1e6;
    }

    /** Canvases encoded (failed ones excluded). */
    public long framesEncoded() {
        return encoded.get();
    }

    public long encodeErrors() {
        return errors.get();
    }

    /** The last encode error's message, or null. */
    public String lastError() {
        return lastError;
    }

    /** Encode time of the last canvas, in milliseconds. */
    public double encodeMillis() {
        return encodeMillis;
    }

    /** Canvases encoded in the last whole second. */
    public double fps() {
        return rate.fps(System.nanoTime());
    }

    /**
     * Encodes what is still queued, stops the thread and frees the encoder. Call after the output thread has
     * stopped, so nothing is handed over any more.
     */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        // Wakes the thread at once if it waits for a canvas (it would otherwise sleep out its poll timeout); what
        // is queued is still taken and encoded.
        handOff.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // Stuck inside x264: leave the encoder to it (the owner must not free it under its feet).
            LOG.error("composition {}: encoder thread did not stop, its encoder is leaked", name);
        } else {
            encoder.close();
        }
        handOff.clear();
    }
}
