/**
 * The per-stream frame pipeline. Wiring in a node:
 *
 * <pre>{@code
 * Stages stages = new Stages()
 *         .registerFilters(spec -> Filters.create(spec))                  // com.streamloom.media.filter
 *         .registerOverlays(spec -> Overlays.create(spec, captionFeed));  // com.streamloom.media.overlay
 * StreamProcessor processor = StreamProcessor.builder(spec.name())
 *         .encoding(spec.encoding())
 *         .stages(stages.createAll(spec.stages()))
 *         .keyframes(KeyframePolicy.atSegmentBoundaries(segmentMicros))
 *         .output(hlsPackager)                   // a MediaSink; end(reason) = discontinuity
 *         .build().start();
 * PipelineMetrics metrics = PipelineMetrics.bind(prometheusRegistry, processor);
 * rtmpSession.publishTo(processor);              // ingest calls accept(packet) and end(reason)
 * processor.updateStages(stages.createAll(newSpec.stages()));     // live change, no restart
 * metrics.close(); processor.close();           // stream removed
 * }</pre>
 */
package com.streamloom.media.pipeline;
