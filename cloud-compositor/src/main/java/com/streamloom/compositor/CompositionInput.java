package com.streamloom.compositor;

import com.streamloom.compositor.align.InputClock;
import com.streamloom.compositor.align.InputTrack;
import com.streamloom.compositor.audio.AudioMixer;
import com.streamloom.compositor.render.TileScaler;
import com.streamloom.media.codec.FfmpegLog;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.spec.CompositionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One input of a running composition: a bounded packet queue filled from the network thread (stamped with the
 * arrival time there, so queueing and decoding do not count as network jitter), a worker thread that decodes video,
 * shrinks each picture to its cell ({@link TileScaler}) and puts it into the input's {@link InputTrack}, and hands
 * audio to the mixer, and the clock both share.
 */
final class CompositionInput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompositionInput.class);
    /** Packets waiting for the worker; about 4 s of 30 fps video with audio. Full: the packet is dropped. */
    static final int QUEUE_PACKETS = 256;

    private record Arrival(MediaPacket packet, long arrivalMicros, String endReason) {
    }

    private final String stream;
    private final Clock clock;
    private final InputClock inputClock = new InputClock();
    private final InputTrack track;
    private final AudioMixer mixer;
    private final VideoDecoding decoder;
    private final TileScaler scaler = new TileScaler();
    private final BlockingQueue<Arrival> queue = new ArrayBlockingQueue<>(QUEUE_PACKETS);
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean waitForKeyframe;
    private final AtomicLong queueDrops = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger(); // queued or being processed
    private final AtomicLong decodeErrors = new AtomicLong();
    private volatile CompositionSpec.Input spec;

    CompositionInput(String composition, CompositionSpec.Input spec, Clock clock, VideoDecoding decoder,
                     AudioMixer mixer) {
        this.stream = spec.stream();
        this.clock = clock;
        this.spec = spec;
        this.decoder = decoder;
        this.mixer = mixer;
        this.track = new InputTrack(stream, inputClock, spec.jitterMs(), spec.holdMs(),
                InputTrack.capacityFor(spec.jitterMs()));
        this.worker = new Thread(FfmpegLog.named(composition + " input " + stream, this::work),
                "compositor-" + composition + "-" + stream);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    String stream() {
        return stream;
    }

    CompositionSpec.Input spec() {
        return spec;
    }

    InputClock clock() {
        return inputClock;
    }

    InputTrack track() {
        return track;
    }

    /** Where the layout draws this input (the output thread sets it when it applies a layout). */
    TileScaler scaler() {
        return scaler;
    }

    void update(CompositionSpec.Input newSpec) {
        spec = newSpec;
        track.setTiming(newSpec.jitterMs(), newSpec.holdMs());
    }

    /** Called on the network thread: stamps and queues, never blocks. */
    void accept(MediaPacket packet) {
        pending.incrementAndGet();
        if (!queue.offer(new Arrival(packet, InputClock.micros(clock), null))) {
            pending.decrementAndGet();
            queueDrops.incrementAndGet();
            // The decoder has lost a reference picture: skip video until the next keyframe.
            if (packet.isVideo()) waitForKeyframe = true;
        }
    }

    void end(String reason) {
        if (!queue.offer(new Arrival(null, InputClock.micros(clock), reason))) {
            queueDrops.incrementAndGet();
        }
    }

    private void work() {
        while (running) {
            Arrival a;
            try {
                a = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (a == null) continue;
            if (a.packet() == null) {
                LOG.info("input {} ended: {}", stream, a.endReason());
                track.end();
                continue;
            }
            MediaPacket p = a.packet();
            try {
                if (p.isAudio()) {
                    mixer.accept(stream, p, a.arrivalMicros());
                } else {
                    decodeVideo(p, a.arrivalMicros());
                }
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private void decodeVideo(MediaPacket p, long arrivalMicros) {
        if (waitForKeyframe && !p.config()) {
            if (!p.keyframe()) return;
            waitForKeyframe = false;
        }
        List<VideoFrame> frames;
        try {
            frames = decoder.decode(p);
        } catch (RuntimeException e) {
            decodeErrors.incrementAndGet();
            waitForKeyframe = true;
            LOG.warn("input {}: undecodable video packet ({}), waiting for a keyframe", stream, e.getMessage());
            return;
        }
        for (VideoFrame f : frames) {
            VideoFrame fitted;
            try {
                fitted = scaler.fit(f);
            } catch (RuntimeException e) {
                f.close();
                decodeErrors.incrementAndGet();
                LOG.warn("input {}: picture could not be scaled to its cell ({})", stream, e.getMessage());
                continue;
            }
            track.push(fitted, arrivalMicros);
        }
    }

    /** Packets accepted but not yet decoded (queued or in the decoder). */
    int pendingPackets() {
        return pending.get();
    }

    long queueDrops() {
        return queueDrops.get();
    }

    /** Packets that failed to decode: thrown by the decoder, or counted by it. */
    long decodeErrors() {
        return decodeErrors.get() + decoder.corruptPackets();
    }

    /** Why this input's pictures are refused (over {@code media.maxPicture}), or null while they fit. */
    String pictureRefusal() {
        return decoder.pictureRefusal();
    }

    /** Stops the worker, then frees the decoder and the track. Called by the output thread. */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            // A decoder stuck inside native code: freeing it under its feet would crash the process; leak instead.
            LOG.error("input {}: worker did not stop, its decoder and frames are leaked", stream);
            return;
        }
        decoder.close();
        scaler.close();
        track.close();
    }
}
