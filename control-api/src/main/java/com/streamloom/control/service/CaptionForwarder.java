package com.streamloom.control.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.cluster.ForwardTokens;
import com.streamloom.control.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Sends a live caption straight to the node running the stream ({@code POST {httpUrl}/api/streams/{name}/captions}
 * with the control API's token for that node, {@link ForwardTokens#controlToken}), so it shows within half a second
 * instead of waiting for the next heartbeat.
 */
@ApplicationScoped
public class CaptionForwarder {
    private static final Logger LOG = Logger.getLogger(CaptionForwarder.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Inject
    ForwardTokens tokens;
    @Inject
    ObjectMapper json;

    public void send(String nodeId, String nodeHttpUrl, String streamName, String text) {
        String base = com.streamloom.control.cluster.BaseUrl.trimSlash(nodeHttpUrl);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + "/api/streams/" + streamName + "/captions"))
                    .timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + tokens.controlToken(nodeId))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("text", text))))
                    .build();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ApiException(502, "cannot reach the node at " + nodeHttpUrl + ": " + e.getMessage(), null);
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 409) {
                // the node's own words: why the caption would not be seen (the stream is not live)
                throw ApiException.conflict(nodeReason(response.body()));
            }
            if (response.statusCode() / 100 != 2) {
                throw new ApiException(502, "node answered " + response.statusCode() + " to the caption", null);
            }
        } catch (IOException e) {
            LOG.warnf("caption for %s not delivered to %s: %s", streamName, nodeHttpUrl, e.toString());
            throw new ApiException(502, "node " + nodeHttpUrl + " did not take the caption: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while sending the caption", null);
        }
    }

    /** The node's error text, or a generic one when its answer is not the JSON error body. */
    private String nodeReason(String body) {
        try {
            String error = json.readTree(body).path("error").asText("");
            if (!error.isBlank() && error.length() <= 500) {
                return error;
            }
        } catch (JsonProcessingException e) {
            // fall through to the generic text
        }
        return "the node refused the caption: the stream is not live";
    }
}
