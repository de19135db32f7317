package com.streamloom.node;

import com.streamloom.node.agent.ProcessLoad;
import io.micrometer.core.instrument.Gauge;
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
}
