package com.streamloom.compositor.audio;

import com.streamloom.compositor.align.InputClock;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.spec.CompositionSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The composition's audio: decodes each input's AAC, resamples it to 48 kHz stereo, places it on
 * the output timeline by its timestamps (through the input's {@link InputClock}, shared with its video so the two
 * stay in sync, plus the same jitter delay), mixes every input with its gain or follows one input, passes the sum
 * through a soft limiter and encodes AAC again.
 *
 * <p>Output time: positions are wall-clock sample indexes (microseconds times 48 kHz). Output sample {@code n} plays
 * at wall time {@code epoch + n / 48000 s} and carries pts {@code n / 48000 s}, where the epoch is given by
 * {@link #startAt} — the same origin as the video output, so the two tracks line up. Silence is produced while no
 * input has audio, so the output track never has holes.
 *
 * <p>Threads: {@link #accept} runs on each input's worker thread; {@link #configure} and {@link #mixUntil} on the
 * output thread. Each input's state has its own lock.
 */
public final class AudioMixer implements AutoCloseable {
    public static final int RATE = AacDecoder.OUT_RATE;
    public static final int CHANNELS = AacDecoder.OUT_CHANNELS;
    /** A timestamp gap or overlap below this is treated as continuous (clock drift, resampler delay), in samples. */
    static final int CONTINUITY_SAMPLES = RATE / 20;
    /** Most audio buffered per input: the largest jitter delay (2 s) plus slack. */
    static final int BUFFER_SAMPLES = RATE * 3;
    /** Most audio mixed in one call; an output that stalled longer skips ahead rather than catching up. */
    static final int MAX_MIX_SAMPLES = RATE;
    /** Where the soft limiter starts to bend the curve; full scale is approached but never reached. */
    static final float LIMIT_KNEE = 0.8f;

    /** Counters since the mixer started. */
    public record Stats(long decodeErrors, long packetsWithoutConfig, long lateSamples, long overflowSamples,
                        long mixedSamples) {
    }

    private final AacEncoder encoder;
    private boolean started;
    private final Map<String, MixInput> inputs = new ConcurrentHashMap<>();
    /**
     * The last AudioSpecificConfig seen per input stream, kept apart from the inputs: an input added by an update
     * gets its mix slot at the next tick, but its config (sent once per RTMP publication) may arrive before that.
     */
    private final Map<String, byte[]> configs = new ConcurrentHashMap<>();
    /** Bound on remembered configs of streams that are no longer inputs. */
    static final int MAX_REMEMBERED_CONFIGS = 64;
    private long cursor;
    private long mixedSamples;
    private float[] mix = new float[0];
    private final AtomicLong decodeErrors = new AtomicLong();
    private final AtomicLong packetsWithoutConfig = new AtomicLong();
    private final AtomicLong lateSamples = new AtomicLong();
    private final AtomicLong overflowSamples = new AtomicLong();

    /** @param bitRate AAC output bit rate, e.g. 128000 */
    public AudioMixer(int bitRate) {
        this.encoder = new AacEncoder(RATE, CHANNELS, bitRate);
    }

    /** Sets the wall time (microseconds) of output pts 0; call once, before {@link #mixUntil}. */
    public void startAt(long epochMicros) {
        if (started) throw new IllegalStateException("already started");
        started = true;
        cursor = sampleAt(epochMicros);
    }

    /** The wall-clock sample index of a wall time; split so that epoch microseconds times 48000 cannot overflow. */
    static long sampleAt(long wallMicros) {
        return Math.floorDiv(wallMicros, 1_000_000L) * RATE + Math.floorMod(wallMicros, 1_000_000L) * RATE / 1_000_000L;
    }

    /**
     * Applies a (validated) spec: inputs added or removed, gains, mix or follow, jitter delays. {@code clockOf}
     * gives the clock of each input (the one its video uses).
     */
    public void configure(CompositionSpec spec, Function<String, InputClock> clockOf) {
        Set<String> wanted = new HashSet<>();
        boolean follow = "follow".equals(spec.audio().mode());
        for (CompositionSpec.Input in : spec.inputs()) {
            wanted.add(in.stream());
            MixInput mi = inputs.computeIfAbsent(in.stream(), s -> new MixInput(s, clockOf.apply(s)));
            double gain = follow ? (in.stream().equals(spec.audio().follow()) ? 1.0 : 0.0) : in.gain();
            mi.configure(gain, in.jitterMs() * 1000L);
        }
        inputs.keySet().removeIf(s -> {
            if (wanted.contains(s)) return false;
            inputs.get(s).close();
            return true;
        });
        if (configs.size() > MAX_REMEMBERED_CONFIGS) configs.keySet().retainAll(wanted);
    }

    /** Takes one audio packet of input {@code stream}, which arrived at {@code arrivalMicros}. Never throws on bad data. */
    public void accept(String stream, MediaPacket packet, long arrivalMicros) {
        if (!packet.isAudio()) return;
        if (packet.config()) configs.put(stream, packet.data());
        MixInput in = inputs.get(stream);
        if (in != null) in.accept(packet, arrivalMicros);
    }

    /**
     * Mixes everything up to wall time {@code wallMicros} (exclusive) and returns the AAC packets completed so far;
     * the first packet ever returned (and the first after the output skipped ahead) is the AudioSpecificConfig.
     */
    public List<MediaPacket> mixUntil(long wallMicros) {
        if (!started) throw new IllegalStateException("startAt must come first");
        long end = sampleAt(wallMicros);
        if (end <= cursor) return List.of();
        if (end - cursor > MAX_MIX_SAMPLES) {
            // The output thread stalled: skip what is long past instead of producing a burst of old audio.
            long skipped = end - MAX_MIX_SAMPLES - cursor;
            cursor += skipped;
            encoder.skip(skipped); // keep audio pts on the wall clock, as the video's skipped ticks do
        }
        int n = (int) (end - cursor);
        if (mix.length < n * CHANNELS) mix = new float[n * CHANNELS];
        java.util.Arrays.fill(mix, 0, n * CHANNELS, 0f);
        for (MixInput in : inputs.values()) {
            in.mixInto(mix, cursor, end);
        }
        limit(mix, n * CHANNELS);
        cursor = end;
        mixedSamples += n;
        return encoder.encode(mix, n);
    }

    /** Soft limiter: linear below the knee, then a tanh curve that approaches full scale without clipping. */
    static void limit(float[] samples, int count) {
        float range = 1 - LIMIT_KNEE;
        for (int i = 0; i < count; i++) {
            float x = samples[i];
            float a = Math.abs(x);
            if (a > LIMIT_KNEE) {
                float y = LIMIT_KNEE + range * (float) Math.tanh((a - LIMIT_KNEE) / range);
                samples[i] = x < 0 ? -y : y;
            }
        }
    }

    public Stats stats() {
        return new Stats(decodeErrors.get(), packetsWithoutConfig.get(), lateSamples.get(), overflowSamples.get(),
                mixedSamples);
    }

    @Override
    public void close() {
        inputs.values().forEach(MixInput::close);
        inputs.clear();
        encoder.close();
    }

    /** One input's decoder and its buffered samples, indexed by output sample position. */
    private final class MixInput {
        private final String stream;
        private final InputClock clock;
        private AacDecoder decoder;
        private double gain;
        private long jitterMicros;
        private final float[] buf = new float[BUFFER_SAMPLES * CHANNELS];
        private int head;      // index (in samples) of the first buffered sample in buf
        private int count;     // buffered samples
        private long start;    // output position of the first buffered sample
        private boolean closed;

        MixInput(String stream, InputClock clock) {
            this.stream = stream;
            this.clock = clock;
        }

        synchronized void configure(double gain, long jitterMicros) {
            this.gain = gain;
            this.jitterMicros = jitterMicros;
        }

        synchronized void accept(MediaPacket p, long arrivalMicros) {
            if (closed) return;
            try {
                if (p.config()) {
                    if (decoder != null) decoder.close();
                    decoder = null;
                    decoder = new AacDecoder(p.data());
                    return;
                }
                if (decoder == null) {
                    byte[] known = configs.get(stream);
                    if (known == null) {
                        packetsWithoutConfig.incrementAndGet();
                        return;
                    }
                    decoder = new AacDecoder(known);
                }
                float[] samples = decoder.decode(p.data());
                clock.observe(p.ptsMicros(), arrivalMicros);
                long due = clock.toWall(p.ptsMicros()) + jitterMicros;
                write(samples, sampleAt(due));
            } catch (RuntimeException e) {
                // Corrupt or unsupported audio from one publisher must not stop the composition.
                decodeErrors.incrementAndGet();
            }
        }

        private void write(float[] samples, long position) {
            int frames = samples.length / CHANNELS;
            if (frames == 0) return;
            long end = start + count;
            if (count == 0) {
                start = position;
            } else if (Math.abs(position - end) <= CONTINUITY_SAMPLES) {
                position = end; // continuous: no clicks from timestamp rounding or a drifting sender clock
            } else if (position > end && position - end < BUFFER_SAMPLES) {
                writeSilence((int) (position - end)); // lost packets: keep the timeline
            } else {
                count = 0; // a new timeline (publisher restarted): start over
                start = position;
            }
            ensureRoom(frames);
            System.arraycopy(samples, 0, buf, (head + count) * CHANNELS, frames * CHANNELS);
            count += frames;
        }

        private void writeSilence(int frames) {
            ensureRoom(frames);
            java.util.Arrays.fill(buf, (head + count) * CHANNELS, (head + count + frames) * CHANNELS, 0f);
            count += frames;
        }

        private void ensureRoom(int frames) {
            if (count + frames > BUFFER_SAMPLES) {
                int drop = Math.min(count, count + frames - BUFFER_SAMPLES);
                overflowSamples.addAndGet(drop);
                head += drop;
                start += drop;
                count -= drop;
            }
            if (head + count + frames > BUFFER_SAMPLES) {
                System.arraycopy(buf, head * CHANNELS, buf, 0, count * CHANNELS);
                head = 0;
            }
        }

        /** Adds this input's samples for output positions [from, to) and forgets everything before {@code to}. */
        synchronized void mixInto(float[] mix, long from, long to) {
            if (count == 0) return;
            long end = start + count;
            if (start < from) {
                lateSamples.addAndGet(Math.min(end, from) - start); // arrived after their time was mixed
            }
            long a = Math.max(from, start), b = Math.min(to, end);
            float g = (float) gain;
            if (g != 0) {
                for (long pos = a; pos < b; pos++) {
                    int src = (head + (int) (pos - start)) * CHANNELS;
                    int dst = (int) (pos - from) * CHANNELS;
                    mix[dst] += g * buf[src];
                    mix[dst + 1] += g * buf[src + 1];
                }
            }
            int consumed = (int) Math.max(0, Math.min(count, to - start));
            head += consumed;
            start += consumed;
            count -= consumed;
            if (count == 0) head = 0;
        }

        synchronized void close() {
            closed = true;
            if (decoder != null) decoder.close();
            decoder = null;
        }
    }
}
