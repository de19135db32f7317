package com.streamloom.control;

import com.streamloom.control.cluster.AssignmentIndex;
import com.streamloom.control.cluster.Leadership;
import com.streamloom.control.cluster.NodeRegistry;
import com.streamloom.control.cluster.NodeState;
import com.streamloom.control.cluster.StreamView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Custom meters at /q/metrics: nodes up, streams by state, compositions pending, whether this
 * replica leads. The heartbeat timer is recorded by {@code NodeService}.
 */
@ApplicationScoped
public class ControlMetrics {
    @Inject
    MeterRegistry meters;
    @Inject
    NodeRegistry nodes;
    @Inject
    AssignmentIndex index;
    @Inject
    Leadership leadership;

    void register(@Observes StartupEvent event) {
        Gauge.builder("streamloom.nodes.up", nodes, n -> n.all().stream().filter(NodeState::up).count())
                .description("nodes heard from within the missed-heartbeat limit").register(meters);
        Gauge.builder("streamloom.nodes.down", nodes, n -> n.all().stream().filter(s -> !s.up()).count())
                .register(meters);
        for (String state : List.of(StreamView.PENDING, StreamView.ASSIGNED, StreamView.OFFLINE)) {
            Gauge.builder("streamloom.streams", index,
                            i -> i.streams().stream().filter(v -> state.equals(v.state())).count())
                    .tag("state", state).description("streams by state").register(meters);
        }
        Gauge.builder("streamloom.compositions", index, i -> i.compositions().size()).register(meters);
        Gauge.builder("streamloom.leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 when this replica runs failure detection and placement").register(meters);
    }
}
