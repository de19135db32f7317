package com.streamloom.compositor;

import com.streamloom.spec.CompositionSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Exports one running composition's statistics, tagged {@code composition=<name>}, and per input also
 * {@code input=<stream>}; input meters follow inputs added and removed live. {@link #close()} removes them all.
 *
 * <p>Prometheus names (Micrometer adds units and {@code _total}):
 * <ul>
 *   <li>{@code streamloom_composition_fps}: output frames in the last second (the canvas rate when healthy)</li>
 *   <li>{@code streamloom_composition_ticks_total}, {@code ..._skipped_ticks_total}: output ticks rendered and
 *       skipped because rendering fell more than two frames behind</li>
 *   <li>{@code streamloom_composition_tick_seconds}: render + encode time of the last tick</li>
 *   <li>{@code streamloom_composition_encode_errors_total}, {@code ..._pending_packets}</li>
 *   <li>{@code streamloom_composition_input_frames_total{input}}: decoded frames into the jitter buffer</li>
 *   <li>{@code streamloom_composition_input_dropped_total{input, reason=queue|late|overflow|decode}}</li>
 *   <li>{@code streamloom_composition_input_live{input}}: 1 while the input has a publisher that sends media</li>
 * </ul>
 */
final class CompositionMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final LiveComposition live;
    private final Predicate<String> publishing;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private final List<Meter> inputMeters = new ArrayList<>();

    private CompositionMetrics(MeterRegistry registry, LiveComposition live, Predicate<String> publishing) {
        this.registry = registry;
        this.live = live;
        this.publishing = publishing;
        this.tags = Tags.of("composition", live.spec().name());
        meters.add(Gauge.builder("streamloom.composition.fps", live, LiveComposition::fps)
                .description("output frames in the last second").tags(tags).register(registry));
        meters.add(counter("streamloom.composition.ticks", "output ticks rendered", c -> c.composition().stats().ticks()));
        meters.add(counter("streamloom.composition.skipped.ticks", "output ticks skipped (render fell behind)",
                c -> c.composition().stats().skippedTicks()));
        meters.add(Gauge.builder("streamloom.composition.tick", live, c -> c.tickMillis() / 1000).baseUnit("seconds")
                .description("render and encode time of the last tick").tags(tags).register(registry));
        meters.add(counter("streamloom.composition.encode.errors", "canvases the encoder failed on",
                LiveComposition::encodeErrors));
        meters.add(counter("streamloom.composition.audio.late.samples",
                "input audio samples that arrived after their time was mixed (later than the input's jitter allows)",
                c -> c.composition().stats().audio().lateSamples()));
        meters.add(counter("streamloom.composition.audio.overflow.samples",
                "input audio samples dropped because an input's audio buffer was full",
                c -> c.composition().stats().audio().overflowSamples()));
        meters.add(counter("streamloom.composition.audio.decode.errors", "input audio packets that failed to decode",
                c -> c.composition().stats().audio().decodeErrors()));
        meters.add(Gauge.builder("streamloom.composition.pending.packets", live,
                        c -> c.composition().pendingPackets())
                .description("input packets accepted and not yet decoded").tags(tags).register(registry));
        rebindInputs(live.spec());
    }

    static CompositionMetrics bind(MeterRegistry registry, LiveComposition live, Predicate<String> publishing) {
        return new CompositionMetrics(registry, live, publishing);
    }

    private Meter counter(String name, String description, ToDoubleFunction<LiveComposition> f) {
        return FunctionCounter.builder(name, live, f).description(description).tags(tags).register(registry);
    }

    /** Re-registers the per-input meters for the spec's inputs (after a live update). */
    synchronized void rebindInputs(CompositionSpec spec) {
        inputMeters.forEach(registry::remove);
        inputMeters.clear();
        for (CompositionSpec.Input in : spec.inputs()) {
            String stream = in.stream();
            Tags t = tags.and("input", stream);
            inputMeters.add(FunctionCounter.builder("streamloom.composition.input.frames", live,
                            c -> input(c, stream) == null ? 0 : input(c, stream).video().received())
                    .description("decoded frames into the input's jitter buffer").tags(t).register(registry));
            // queue: dropped before decoding (worker behind); late: after their screen slot; overflow: from a
            // full jitter buffer; decode: undecodable video packets.
            inputDrop(t, "queue", s -> s.queueDrops());
            inputDrop(t, "late", s -> s.video().late());
            inputDrop(t, "overflow", s -> s.video().overflow());
            inputDrop(t, "decode", s -> s.decodeErrors());
            inputMeters.add(Gauge.builder("streamloom.composition.input.live", publishing,
                            p -> p.test(stream) ? 1 : 0)
                    .description("1 while the input stream has a publisher").tags(t).register(registry));
        }
    }

    /** One reason of input loss; every reason shares the description, as Prometheus keeps one HELP per name. */
    private void inputDrop(Tags t, String reason, ToDoubleFunction<Composition.InputStats> f) {
        String stream = t.stream().filter(tag -> tag.getKey().equals("input")).findFirst().orElseThrow().getValue();
        inputMeters.add(FunctionCounter.builder("streamloom.composition.input.dropped", live, c -> {
            Composition.InputStats s = input(c, stream);
            return s == null ? 0 : f.applyAsDouble(s);
        }).description("frames or packets an input lost, by reason (queue, late, overflow, decode)").tags(t.and("reason", reason)).register(registry));
    }

    private static Composition.InputStats input(LiveComposition c, String stream) {
        return c.composition().stats().inputs().get(stream);
    }

    @Override
    public synchronized void close() {
        inputMeters.forEach(registry::remove);
        inputMeters.clear();
        meters.forEach(registry::remove);
        meters.clear();
    }
}
