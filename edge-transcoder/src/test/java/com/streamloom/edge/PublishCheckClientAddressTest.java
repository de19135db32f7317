package com.streamloom.edge;

import com.streamloom.media.rtmp.RtmpClient;
import com.streamloom.media.rtmp.RtmpPublishFailedException;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.rtmp.RtmpUrl;
import com.streamloom.node.Json;
import com.streamloom.node.NodeConfig;
import com.streamloom.spec.node.PublishCheck;
import com.sun.net.httpserver.HttpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The edge's publish-check tells the control API the publisher's address and protocol (for the publish hook). */
class PublishCheckClientAddressTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void thePublishCheckCarriesTheClientAddressAndProtocol() throws Exception {
        List<PublishCheck.Request> asked = new CopyOnWriteArrayList<>();
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        control.setExecutor(Executors.newCachedThreadPool());
        control.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] body;
                if (path.endsWith("/enrol")) {
                    body = ("{\"credential\": \"" + randomToken() + "\"}").getBytes(StandardCharsets.UTF_8);
                } else if (path.endsWith("/publish-check")) {
                    asked.add(Json.PROTOCOL.readValue(exchange.getRequestBody().readAllBytes(),
                            PublishCheck.Request.class));
                    body = "{\"allowed\": false, \"reason\": \"refused by the test\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        control.start();
        EventLoopGroup clients = new NioEventLoopGroup(1);
        NodeConfig config = EdgePublishGuardTest.clusterEdge(control.getAddress().getPort(), "edge-addr");
        try (EdgeNode edge = EdgeNode.start(config, PublishGuardSettings.defaults())) {
            CompletableFuture<RtmpClient> attempt = RtmpClient.publish(clients,
                    RtmpUrl.parse("rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/" + randomToken()),
                    RtmpSettings.defaults(), () -> { });
            assertThatThrownBy(() -> attempt.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RtmpPublishFailedException.class).hasMessageContaining("refused by the test");
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            control.stop(0);
        }
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).app()).isEqualTo("live");
        assertThat(asked.get(0).clientAddress()).isEqualTo("127.0.0.1");
        assertThat(asked.get(0).protocol()).isEqualTo("rtmp");
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
