package com.streamloom.edge;

import com.streamloom.media.testing.SyntheticPublisher;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A caption that could not be seen is refused with the reason; one sent to a live stream is taken. */
class EdgeCaptionFeedbackTest {
    private static final String TOKEN = "Ct4-Hq8Zw2Lp6Rx9Vn3Bk7Ms";
    private static final String KEY = "caption-key-0123456789abcd";

    @Test
    void aCaptionForAStreamWithoutAPublisherIsRefusedSayingWhyAndTakenOnceLive() throws Exception {
        try (OneStreamEdge one = OneStreamEdge.withSpec(KEY, """
                {"name": "talk", "stages": [], "encoding": {"bitrateKbps": 300},
                 "output": {"segmentSeconds": 1, "windowSegments": 4}}""", Map.of("STREAMLOOM_NODE_TOKEN", TOKEN))) {
            HttpResponse<String> waiting = caption(one, "hello");
            assertThat(waiting.statusCode()).isEqualTo(409);
            assertThat(waiting.body()).contains("\"error\"").contains("not live").contains("waiting")
                    .contains("no publisher");

            try (SyntheticPublisher publisher = SyntheticPublisher.builder().size(160, 120).fps(15)
                    .publishTo(one.server + "/" + KEY)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> one.state().equals("live"));
                HttpResponse<String> live = caption(one, "hello");
                assertThat(live.statusCode()).as(live.body()).isEqualTo(202);
                assertThat(publisher.isRunning()).isTrue();
            }
        }
    }

    private static HttpResponse<String> caption(OneStreamEdge one, String text) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + one.edge.httpPort() + "/api/streams/" + one.name + "/captions"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
