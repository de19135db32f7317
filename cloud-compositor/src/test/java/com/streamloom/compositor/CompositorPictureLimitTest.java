package com.streamloom.compositor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.testing.Ports;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.node.NodeConfig;
import com.streamloom.spec.node.PipelineStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Invariant: an input over media.maxPicture is named with the reason in the composition's status; others compose on. */
class CompositorPictureLimitTest {
    private static final String TOKEN = "Pq4-Zt7Lm2Wx9Kc3Rv6Hn8Bd";
    private static final String REFUSAL =
            "input big: picture 1280x720 is larger than the node's limit 640x360 (media.maxPicture)";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theRefusedInputIsNamedInTheStatusWhileTheOtherKeepsComposing() throws Exception {
        Path cfg = Files.writeString(dir.resolve("compositor.json"), """
                {"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "nodeToken": "%s",
                 "media": {"maxPicture": "640x360"},
                 "compositions": [
                  {"name": "pair", "canvas": {"width": 640, "height": 360, "fps": 15},
                   "inputs": [{"stream": "good", "jitterMs": 100}, {"stream": "big", "jitterMs": 100}],
                   "layout": {"type": "grid"}, "output": {"segmentSeconds": 1, "windowSegments": 4}}]}
                """.formatted(TOKEN));
        NodeConfig config = NodeConfig.load(cfg, Map.of("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free())), 1936, 8082);
        try (CompositorNode node = CompositorNode.start(config);
             SyntheticPublisher good = SyntheticPublisher.builder().size(320, 240).fps(15).videoKbps(200)
                     .publishTo("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/good?token=" + TOKEN);
             SyntheticPublisher big = SyntheticPublisher.builder().size(1280, 720).fps(15).videoKbps(300)
                     .publishTo("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/big?token=" + TOKEN)) {
            // The pipeline report a heartbeat carries (and so the control API's composition view).
            PipelineStatus status = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> pair(node), s -> s != null && s.error() != null);
            assertThat(status.error()).isEqualTo(REFUSAL);
            assertThat(status.state()).as("the composition runs on with its other input").isEqualTo("live");

            LiveComposition pair = node.compositions().all().get(0);
            Composition.InputStats bigStats = pair.composition().stats().inputs().get("big");
            assertThat(bigStats.pictureRefusal()).isEqualTo(REFUSAL.substring("input big: ".length()));
            assertThat(bigStats.video().received()).as("nothing decoded for the refused input").isZero();
            long goodBefore = pair.composition().stats().inputs().get("good").video().received();
            long encodedBefore = pair.framesEncoded();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                    pair.composition().stats().inputs().get("good").video().received() > goodBefore + 15
                            && pair.framesEncoded() > encodedBefore + 15);
            assertThat(pair.composition().stats().inputs().get("good").pictureRefusal()).isNull();

            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/api/streams")).build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode listed = JSON.readTree(body).get(0);
            assertThat(listed.path("name").asText()).isEqualTo("pair");
            assertThat(listed.path("error").asText()).isEqualTo(REFUSAL);
            assertThat(big.isRunning()).as("the refused publisher is told by the status, not cut off").isTrue();
        }
    }

    private static PipelineStatus pair(CompositorNode node) {
        return node.compositions().statuses().stream().findFirst().orElse(null);
    }
}
