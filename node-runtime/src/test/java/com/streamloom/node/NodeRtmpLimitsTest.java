package com.streamloom.node;

import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invariant: a node's RTMP limits come from its file's {@code rtmp} object and the environment, else defaults. */
class NodeRtmpLimitsTest {
    @TempDir
    Path dir;

    @Test
    void withoutAnRtmpObjectEveryLimitKeepsItsDefault() throws Exception {
        assertThat(NodeConfig.load(null, Map.of(), 1935, 8081).rtmpSettings()).isEqualTo(RtmpSettings.defaults());
    }

    @Test
    void theEnvironmentOverridesTheFileOneLimitAtATime() throws Exception {
        Path f = Files.writeString(dir.resolve("edge.json"), """
                {"rtmp": {"maxConnections": 20, "maxConnectionsPerAddress": 3, "maxNodeBufferBytes": 1048576}}""");
        RtmpSettings s = NodeConfig.load(f, Map.of("STREAMLOOM_RTMP_MAX_CONNECTIONS_PER_ADDRESS", "7",
                "STREAMLOOM_RTMP_PUBLISH_TIMEOUT_MS", "2500",
                "STREAMLOOM_RTMP_MAX_CONNECTION_BUFFER_BYTES", "5000000"), 1935, 8081).rtmpSettings();
        assertThat(s.maxConnections()).isEqualTo(20);
        assertThat(s.maxConnectionsPerAddress()).isEqualTo(7);
        assertThat(s.publishTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.maxConnectionBufferBytes()).isEqualTo(5_000_000);
        assertThat(s.maxNodeBufferBytes()).isEqualTo(1_048_576);
        assertThat(s.maxMessageBytes()).isEqualTo(RtmpSettings.defaults().maxMessageBytes());
    }

    @Test
    void aLimitOutOfRangeStopsTheStartNamingItsField() throws Exception {
        Path f = Files.writeString(dir.resolve("edge.json"), "{\"rtmp\": {\"maxConnections\": 0}}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("rtmp.maxConnections"));
        // a connection must be able to hold one whole message of rtmp.max-message-bytes (4 MiB)
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_RTMP_MAX_CONNECTION_BUFFER_BYTES",
                "1000"), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("rtmp.maxConnectionBufferBytes"));
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_RTMP_PUBLISH_TIMEOUT_MS", "10s"), 1935,
                8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("STREAMLOOM_RTMP_PUBLISH_TIMEOUT_MS"));
        Files.writeString(f, "{\"rtmp\": {\"maxConections\": 5}}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).hasMessageContaining("maxConections");
    }
}
