package com.streamloom.node.agent;

import com.streamloom.media.testing.SettableClock;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.NodeLoad;
import com.streamloom.spec.node.NodeRole;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's last contact is the time, on its injected clock, of the last heartbeat the control API answered. */
class NodeAgentTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;
    /** A loopback stand-in for the control API's heartbeat endpoint, answering with {@link #status}. */
    private HttpServer control;
    private final AtomicInteger status = new AtomicInteger(200);

    @AfterEach
    void stop() {
        if (control != null) {
            control.stop(0);
        }
    }

    @Test
    void lastContactIsTheClocksTimeOfTheLastAnsweredHeartbeat() throws Exception {
        startControl();
        Path file = dir.resolve("node-edge-a.credential");
        NodeCredential.write(file, NodeCredentialTest.CREDENTIAL);
        String controlUrl = "http://127.0.0.1:" + control.getAddress().getPort();
        SettableClock clock = new SettableClock(START);
        List<DesiredState> applied = new CopyOnWriteArrayList<>();
        try (NodeAgent agent = new NodeAgent(controlUrl, new NodeCredential(controlUrl, "edge-a", null, file),
                "edge-a", NodeRole.EDGE, "rtmp://127.0.0.1:1935", "http://127.0.0.1:8081", 1.0,
                Duration.ofHours(1), () -> new NodeLoad(0.1, 1, List.of()), applied::add, clock)) {
            assertThat(agent.lastContactMillis()).isZero();

            agent.beat();
            assertThat(agent.lastContactMillis()).isEqualTo(START.toEpochMilli());
            assertThat(applied).extracting(DesiredState::version).containsExactly(7L);

            // The control API fails: the last contact stays where it was, however much time passes.
            clock.set(START.plusSeconds(30));
            status.set(503);
            assertThatThrownBy(agent::beat).isInstanceOf(IOException.class).hasMessageContaining("503");
            assertThat(agent.lastContactMillis()).isEqualTo(START.toEpochMilli());

            clock.set(START.plusSeconds(45));
            status.set(200);
            agent.beat();
            assertThat(agent.lastContactMillis()).isEqualTo(START.plusSeconds(45).toEpochMilli());
        }
    }

    private void startControl() throws IOException {
        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext("/api/v1/nodes/edge-a/heartbeat", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = status.get() == 200
                    ? NodeAgent.JSON.writeValueAsBytes(new DesiredState(7, List.of(), List.of()))
                    : "{\"error\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        control.start();
    }
}
