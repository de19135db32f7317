package com.streamloom.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.spec.StageSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.PipelineStatus;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applying a desired state isolates each entry: one that cannot be built is reported failed with its reason, and
 * every other entry is still started, updated or removed.
 */
class EdgeReconcileIsolationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StreamSpec named(StreamSpec spec, String name) {
        return new StreamSpec(name, spec.source(), spec.stages(), spec.encoding(), spec.output());
    }

    @Test
    void aStreamThatCannotBeBuiltFailsAloneAndTheOthersAreStillAppliedAndRemoved() throws Exception {
        try (OneStreamEdge one = OneStreamEdge.start("first", "first-key-0123456789abcdefgh")) {
            EdgeNode edge = one.edge;
            StreamSpec good = one.edge.streams().get("first").spec();
            StreamSpec broken = named(good, "broken").withStages(List.of(new StageSpec("image",
                    Map.of("source", "/nonexistent/streamloom/logo.png"))));
            StreamSpec second = named(good, "second");

            edge.apply(new DesiredState(1, List.of(new DesiredState.StreamAssignment("first", good),
                    new DesiredState.StreamAssignment("id-broken", broken),
                    new DesiredState.StreamAssignment("id-second", second)), List.of()));

            assertThat(edge.streamNames()).containsExactlyInAnyOrder("first", "second");
            List<PipelineStatus> statuses = edge.statuses();
            PipelineStatus failed = statuses.stream().filter(s -> s.id().equals("id-broken")).findFirst().orElseThrow();
            assertThat(failed.state()).isEqualTo("failed");
            assertThat(failed.error()).contains("image");
            assertThat(Instant.parse(failed.since())).isBeforeOrEqualTo(Instant.now());
            assertThat(statuses).extracting(PipelineStatus::id).containsExactlyInAnyOrder("first", "id-broken",
                    "id-second");
            assertThat(statuses).filteredOn(s -> !s.id().equals("id-broken"))
                    .allSatisfy(s -> assertThat(s.state()).isEqualTo("waiting"));

            JsonNode list = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + edge.httpPort() + "/api/streams")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode shown = null;
            for (JsonNode n : list) {
                if (n.get("name").asText().equals("broken")) {
                    shown = n;
                }
            }
            assertThat(shown).as("the failed stream is listed").isNotNull();
            assertThat(shown.get("state").asText()).isEqualTo("failed");
            assertThat(shown.get("error").asText()).contains("image");

            // the broken stream still fails, and a stream deleted beside it stops at once
            edge.apply(new DesiredState(2, List.of(new DesiredState.StreamAssignment("first", good),
                    new DesiredState.StreamAssignment("id-broken", broken)), List.of()));
            assertThat(edge.streamNames()).containsExactly("first");
            assertThat(edge.statuses()).extracting(PipelineStatus::id).containsExactlyInAnyOrder("first",
                    "id-broken");

            // once fixed, it runs; once no longer desired, nothing of it is reported
            StreamSpec fixed = broken.withStages(List.of());
            edge.apply(new DesiredState(3, List.of(new DesiredState.StreamAssignment("first", good),
                    new DesiredState.StreamAssignment("id-broken", fixed)), List.of()));
            assertThat(edge.streamNames()).containsExactlyInAnyOrder("first", "broken");
            assertThat(edge.statuses()).allSatisfy(s -> assertThat(s.state()).isNotEqualTo("failed"));
            edge.apply(new DesiredState(4, List.of(new DesiredState.StreamAssignment("first", good)), List.of()));
            assertThat(edge.statuses()).extracting(PipelineStatus::id).containsExactly("first");
        }
    }
}
