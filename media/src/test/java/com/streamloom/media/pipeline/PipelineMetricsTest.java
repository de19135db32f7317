package com.streamloom.media.pipeline;

import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.CollectingSink;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.PaintLumaStage;
import com.streamloom.spec.EncodingSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-stream and per-stage time, fps, drops and queue depth as Prometheus metrics. */
class PipelineMetricsTest {

    @Test
    void exportsStreamAndStageMetricsFollowsSwapsAndRemovesThemOnClose() {
        List<MediaPacket> source = MediaFileReader.read(GeneratedMedia.testPattern(320, 240, 30, 2), 0);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CollectingSink sink = new CollectingSink();
        try (StreamProcessor p = StreamProcessor.builder("cam1").encoding(new EncodingSpec("ultrafast", 800, 0, "copy"))
                .stages(List.of(new PaintLumaStage("paint", 30, 16, 16, 0))).output(sink).blockWhenFull(true).build();
             PipelineMetrics metrics = PipelineMetrics.bind(registry, p)) {
            p.start();
            source.forEach(p::accept);
            p.end("done");
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.ends.size() == 1);

            String text = registry.scrape();
            assertThat(text)
                    .contains("streamloom_pipeline_frames_encoded_total{stream=\"cam1\"} 60.0")
                    .contains("streamloom_pipeline_frames_decoded_total{stream=\"cam1\"} 60.0")
                    .contains("streamloom_pipeline_frames_dropped_total{reason=\"queue\",stream=\"cam1\"} 0.0")
                    .contains("streamloom_pipeline_queue_depth{stream=\"cam1\"}")
                    .contains("streamloom_pipeline_queue_capacity{stream=\"cam1\"} 120.0")
                    .contains("streamloom_stage_frames_total{position=\"0\",stage=\"paint\",stream=\"cam1\"} 60.0")
                    .contains("streamloom_stage_time_seconds_total{position=\"0\",stage=\"paint\",stream=\"cam1\"}")
                    .contains("streamloom_pipeline_latency_seconds{stream=\"cam1\",quantile=\"0.99\"}")
                    .contains("streamloom_pipeline_latency_seconds_count{stream=\"cam1\"} 60");
            assertThat(gauge(text, "streamloom_pipeline_fps{stream=\"cam1\"}")).isCloseTo(30.0,
                    org.assertj.core.data.Offset.offset(1.0));

            // A live swap replaces the stage meters.
            p.updateStages(List.of(new PaintLumaStage("other", 90, 16, 16, 0)));
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.scrape().contains("stage=\"other\""));
            assertThat(registry.scrape()).doesNotContain("stage=\"paint\"");
            metrics.close();
            assertThat(registry.scrape()).doesNotContain("cam1");
        }
    }

    private static double gauge(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow();
    }
}
