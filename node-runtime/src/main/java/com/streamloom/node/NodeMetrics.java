package com.streamloom.node;

import com.streamloom.node.agent.ProcessLoad;
import com.streamloom.media.hls.HlsMemoryBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The metrics registry of a media node (edge or compositor), served at {@code /metrics}: the process meters every
 * node exports ({@code process_cpu_usage}, JVM memory, {@code streamloom_process_resident_bytes}, which the Grafana
 * dashboard charts for both roles); each node adds its pipeline meters.
 */
public final class NodeMetrics {
    private NodeMetrics() {
    }

    /** A new registry with the process meters bound; the node closes it on shutdown. */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ProcessorMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        Gauge.builder("streamloom.process.resident", ProcessLoad::memoryBytes).baseUnit("bytes")
                .description("resident memory of the process, heap and native").register(registry);
        return registry;
    }

    /**
     * The node's HLS memory: {@code streamloom_hls_memory_bytes} held by all outputs' windows, its budget
     * ({@code streamloom_hls_memory_budget_bytes}), segments trimmed to stay within it and the times it was overrun.
     */
    public static void bindHlsBudget(MeterRegistry registry, HlsMemoryBudget budget) {
        Gauge.builder("streamloom.hls.memory", budget, HlsMemoryBudget::bytes).baseUnit("bytes")
                .description("bytes the node's HLS windows hold in memory").register(registry);
        Gauge.builder("streamloom.hls.memory.budget", budget, HlsMemoryBudget::limitBytes).baseUnit("bytes")
                .description("what the node's HLS windows may hold together (media.hlsMemoryBytes)")
                .register(registry);
        FunctionCounter.builder("streamloom.hls.segments.trimmed", budget, HlsMemoryBudget::trimmedSegments)
                .description("segments removed early to keep the node within its HLS memory budget")
                .register(registry);
        FunctionCounter.builder("streamloom.hls.budget.overruns", budget, HlsMemoryBudget::overruns)
                .description("new segments that left the node over its HLS budget with every window at its live edge")
                .register(registry);
    }
}
