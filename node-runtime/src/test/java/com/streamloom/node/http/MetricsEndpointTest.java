package com.streamloom.node.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** /metrics is rendered at most once per interval, measured on an injected clock, and shared inside it. */
class MetricsEndpointTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void rendersAgainOnlyOnceTheIntervalHasPassed() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("scrape_test_total").increment();
        AtomicLong now = new AtomicLong(1_000_000_000L);
        MetricsEndpoint metrics = new MetricsEndpoint(registry, Duration.ofSeconds(5), now::get);

        Future<Buffer> first = metrics.text(vertx);
        String text = first.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
        assertThat(text).contains("scrape_test_total 1.0");

        registry.counter("scrape_test_total").increment();
        now.addAndGet(Duration.ofMillis(4_999).toNanos());
        assertThat(metrics.text(vertx)).as("inside the interval the same rendering is shared").isSameAs(first);
        assertThat(metrics.renders()).isEqualTo(1);

        now.addAndGet(Duration.ofMillis(1).toNanos());
        Future<Buffer> second = metrics.text(vertx);
        assertThat(second.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString())
                .contains("scrape_test_total 2.0");
        assertThat(metrics.renders()).isEqualTo(2);
    }
}
