package com.streamloom.media.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;

/**
 * Exports one {@link StreamProcessor}'s statistics to a Micrometer registry (the edge serves a
 * PrometheusMeterRegistry's {@code scrape()} at {@code /metrics}), tagged {@code stream=<name>},
 * and per stage also {@code stage=<name>} and {@code position=<index>} (a stage type may appear twice).
 * Stage meters follow live stage swaps. {@link #close()} removes every meter of the stream.
 *
 * <p>Prometheus names (Micrometer adds the unit and {@code _total} suffixes):
 * <ul>
 *   <li>{@code streamloom_pipeline_packets_in_total}, {@code ..._frames_decoded_total},
 *       {@code ..._frames_encoded_total}, {@code ..._frames_dropped_total{reason=queue|encoder|stage|rate|gap}},
 *       {@code ..._errors_total{kind=corrupt|stage|processing}}, {@code ..._discontinuities_total}</li>
 *   <li>{@code streamloom_pipeline_queue_depth}, {@code ..._queue_capacity}, {@code ..._encoder_queue_depth}, {@code ..._fps}</li>
 *   <li>{@code streamloom_pipeline_latency_seconds} (timer with p50, p95, p99: packet in → encoded packet out)</li>
 *   <li>{@code streamloom_stage_frames_total}, {@code streamloom_stage_dropped_total},
 *       {@code streamloom_stage_time_seconds_total} (rate of time / rate of frames = time per frame),
 *       {@code streamloom_stage_last_frame_seconds}</li>
 * </ul>
 */
public final class PipelineMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final StreamProcessor processor;
    private final Tags streamTags;
    private final List<Meter> streamMeters = new ArrayList<>();
    private final List<Meter> stageMeters = new ArrayList<>();
    private final Timer latencyTimer;
    private final LongConsumer latencyListener;
    private final Runnable stageListener = this::rebindStages;

    private PipelineMetrics(MeterRegistry registry, StreamProcessor processor) {
        this.registry = registry;
        this.processor = processor;
        this.streamTags = Tags.of("stream", processor.name());
        counter("streamloom.pipeline.packets.in", "packets accepted from the source", StreamProcessor::packetsIn, Tags.empty());
        counter("streamloom.pipeline.frames.decoded", "pictures decoded", StreamProcessor::framesDecoded, Tags.empty());
        counter("streamloom.pipeline.frames.encoded", "pictures encoded", StreamProcessor::framesEncoded, Tags.empty());
        String dropped = "streamloom.pipeline.frames.dropped";
        counter(dropped, "packets dropped by the input queue, or audio and configurations a hand-off gave up",
                StreamProcessor::queueDrops, Tags.of("reason", "queue"));
        counter(dropped, "frames dropped before the stages (stages fell behind)",
                StreamProcessor::framesDroppedBeforeStages, Tags.of("reason", "stages"));
        counter(dropped, "frames dropped before the encoder (encoding fell behind)",
                StreamProcessor::framesDroppedBeforeEncode, Tags.of("reason", "encoder"));
        counter(dropped, "frames dropped by a stage", StreamProcessor::framesDroppedByStages, Tags.of("reason", "stage"));
        counter(dropped, "frames dropped to respect maxFps", StreamProcessor::framesDroppedByRate, Tags.of("reason", "rate"));
        counter(dropped, "video packets skipped after a queue drop until a keyframe", StreamProcessor::videoPacketsSkipped,
                Tags.of("reason", "gap"));
        String errors = "streamloom.pipeline.errors";
        counter(errors, "corrupt packets", StreamProcessor::corruptPackets, Tags.of("kind", "corrupt"));
        counter(errors, "stage failures", StreamProcessor::stageErrors, Tags.of("kind", "stage"));
        counter(errors, "processing failures", StreamProcessor::processingErrors, Tags.of("kind", "processing"));
        counter("streamloom.pipeline.discontinuities", "sources that ended", StreamProcessor::discontinuities, Tags.empty());
        gauge("streamloom.pipeline.queue.depth", "packets waiting in the input queue", p -> p.queueDepth());
        gauge("streamloom.pipeline.queue.capacity", "input queue capacity", p -> p.queueCapacity());
        gauge("streamloom.pipeline.stage.queue.depth", "frames and audio waiting for the stages",
                p -> p.stageQueueDepth());
        gauge("streamloom.pipeline.encoder.queue.depth", "frames and audio waiting for the encoder",
                p -> p.encoderQueueDepth());
        gauge("streamloom.pipeline.fps", "input frame rate", StreamProcessor::fps);
        latencyTimer = Timer.builder("streamloom.pipeline.latency")
                .description("packet in to encoded packet out")
                .tags(streamTags)
                .publishPercentiles(0.5, 0.95, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(registry);
        streamMeters.add(latencyTimer);
        latencyListener = nanos -> latencyTimer.record(nanos, TimeUnit.NANOSECONDS);
        processor.addLatencyListener(latencyListener);
        processor.addStageListener(stageListener);
        rebindStages();
    }

    /** Registers the processor's meters; close the result when the stream stops. */
    public static PipelineMetrics bind(MeterRegistry registry, StreamProcessor processor) {
        return new PipelineMetrics(registry, processor);
    }

    private void counter(String name, String description, ToDoubleFunction<StreamProcessor> f, Tags extra) {
        streamMeters.add(FunctionCounter.builder(name, processor, f).description(description)
                .tags(streamTags.and(extra)).register(registry));
    }

    private void gauge(String name, String description, ToDoubleFunction<StreamProcessor> f) {
        streamMeters.add(Gauge.builder(name, processor, f).description(description).tags(streamTags).register(registry));
    }

    /** Re-registers the per-stage meters for the current stage list (after a live swap). */
    private synchronized void rebindStages() {
        stageMeters.forEach(registry::remove);
        stageMeters.clear();
        List<FrameStage> current = processor.stages();
        for (int i = 0; i < current.size(); i++) {
            FrameStage stage = current.get(i);
            Tags tags = streamTags.and("stage", stage.name()).and("position", Integer.toString(i));
            stageMeters.add(FunctionCounter.builder("streamloom.stage.frames", stage, s -> s.stats().framesIn())
                    .description("frames into the stage").tags(tags).register(registry));
            stageMeters.add(FunctionCounter.builder("streamloom.stage.dropped", stage, s -> s.stats().framesDropped())
                    .description("frames the stage dropped").tags(tags).register(registry));
            stageMeters.add(FunctionCounter.builder("streamloom.stage.time", stage, s -> s.stats().totalNanos() / 1e9)
                    .description("time spent in the stage").baseUnit("seconds").tags(tags).register(registry));
            stageMeters.add(Gauge.builder("streamloom.stage.last.frame", stage, s -> s.stats().lastNanos() / 1e9)
                    .description("time the stage took on its last frame").baseUnit("seconds").tags(tags)
                    .register(registry));
        }
    }

    /** Removes every meter of this stream from the registry. */
    @Override
    public synchronized void close() {
        processor.removeLatencyListener(latencyListener);
        processor.removeStageListener(stageListener);
        stageMeters.forEach(registry::remove);
        stageMeters.clear();
        streamMeters.forEach(registry::remove);
        streamMeters.clear();
    }
}
