package com.streamloom.node;

import com.streamloom.node.http.HttpServerSettings;
import com.streamloom.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Node settings come from the file, then the environment, then defaults; a guessable secret or a bad spec stops the start naming the setting.
 */
class NodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFileAndDefaultsFillTheRest() throws Exception {
        Path f = dir.resolve("edge.json");
        Files.writeString(f, """
                {"rtmpPort": 2935, "publicHost": "video.example.org",
                 "streams": [{"key": "0123456789abcdef0123", "spec": {"name": "studio"}}]}""");
        NodeConfig c = NodeConfig.load(f, Map.of("STREAMLOOM_HTTP_PORT", "9081", "STREAMLOOM_ADVERTISE_HOST", "10.0.0.7"),
                1935, 8081);
        assertThat(c.rtmpPort()).isEqualTo(2935);
        assertThat(c.httpPort()).isEqualTo(9081);
        assertThat(c.nodeId()).isEqualTo("10.0.0.7-2935");
        assertThat(c.ingestUrl()).isEqualTo("rtmp://video.example.org:2935/live");
        assertThat(c.playbackUrl("studio")).isEqualTo("http://video.example.org:9081/hls/studio/index.m3u8");
        assertThat(c.advertisedHttpUrl()).isEqualTo("http://10.0.0.7:9081");
        assertThat(c.standalone()).isTrue();
        assertThat(c.openDevMode()).isFalse();
        assertThat(c.streams().get(0).spec().output().segmentSeconds()).isEqualTo(2.0);
        // the enrolled credential is kept beside the config file unless a data directory or file is named
        assertThat(c.credentialFile()).isEqualTo(dir.resolve("node-10.0.0.7-2935.credential").toString());
        assertThat(NodeConfig.load(f, Map.of("STREAMLOOM_DATA", "/var/lib/streamloom"), 1935, 8081).credentialFile())
                .startsWith("/var/lib/streamloom/node-").endsWith(".credential");
        assertThat(NodeConfig.load(f, Map.of("STREAMLOOM_CREDENTIAL_FILE", "/run/edge.credential"), 1935, 8081)
                .credentialFile()).isEqualTo("/run/edge.credential");
    }

    @Test
    void maxStreamsComesFromTheFileOrTheEnvironmentAndIsSizedToTheNodeWithoutEither() throws Exception {
        Path f = dir.resolve("edge.json");
        Files.writeString(f, "{\"maxStreams\": 12}");
        assertThat(NodeConfig.load(f, Map.of(), 1935, 8081).maxStreams()).isEqualTo(12);
        assertThat(NodeConfig.load(f, Map.of("STREAMLOOM_MAX_STREAMS", "3"), 1935, 8081).maxStreams()).isEqualTo(3);
        assertThat(NodeConfig.load(null, Map.of(), 1935, 8081).maxStreams())
                .isEqualTo(Math.max(8, 8 * Runtime.getRuntime().availableProcessors()));
        Files.writeString(f, "{\"maxStreams\": -1}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("maxStreams"));
    }

    @Test
    void aPushStreamNeedsALongKeyAndAPullStreamMustNotHaveOne() throws Exception {
        Path f = dir.resolve("edge.json");
        Files.writeString(f, "{\"streams\": [{\"key\": \"short\", \"spec\": {\"name\": \"a\"}}]}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("streams[0].key"));
        Files.writeString(f, "{\"streams\": [{\"spec\": {\"name\": \"a\"}}]}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("streams[0].key"));
        Files.writeString(f, "{\"streams\": [{\"key\": \"0123456789abcdef0123\", \"spec\": "
                + "{\"name\": \"a\", \"source\": {\"type\": \"rtsp-pull\", \"url\": \"rtsp://cam/1\"}}}]}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("streams[0].key"));
    }

    @Test
    void specErrorsNameTheirPlaceInTheFile() throws Exception {
        Path f = dir.resolve("edge.json");
        Files.writeString(f, "{\"streams\": [{\"key\": \"0123456789abcdef0123\", \"spec\": "
                + "{\"name\": \"a\", \"stages\": [{\"type\": \"gaussian-blur\", \"kernel\": 4}]}}]}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("streams[0].spec.stages[0].kernel"));
    }

    @Test
    void aNodeTokenThatCouldBeGuessedStopsTheStartNamingTheSetting() throws Exception {
        for (String weak : new String[]{"node-secret", "change-me-node-token-value-x", "nodenodenodenodenodenode"}) {
            assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_NODE_TOKEN", weak), 1935, 8081))
                    .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("nodeToken"))
                    .hasMessageNotContaining(weak);
        }
        String random = "Ns7-Qx2Lw9Rk4Tz8Vm3Pc6Hb";
        assertThat(NodeConfig.load(null, Map.of("STREAMLOOM_NODE_TOKEN", random), 1935, 8081).nodeToken())
                .isEqualTo(random);
    }

    @Test
    void aStandaloneNodeWithASignedOutputNeedsAPlaybackKeyThatCannotBeGuessed() throws Exception {
        Path f = dir.resolve("edge.json");
        String stream = "{\"key\": \"0123456789abcdef0123\", \"spec\": {\"name\": \"vault\", "
                + "\"output\": {\"playback\": \"signed\"}}}";
        Files.writeString(f, "{\"streams\": [" + stream + "]}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("playbackKey"));
        Files.writeString(f, "{\"playbackKey\": \"change-me-change-me-change-me\", \"streams\": [" + stream + "]}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("playbackKey"))
                .hasMessageNotContaining("change-me-change-me-change-me");

        String key = "Vb7nM2xQ9kL4wR8tZ3cF6hJ1yD5sG0pE";
        Files.writeString(f, "{\"playbackKey\": \"" + key + "\", \"streams\": [" + stream + "]}");
        NodeConfig fromFile = NodeConfig.load(f, Map.of(), 1935, 8081);
        assertThat(fromFile.playbackKeys()).containsExactly(key);
        assertThat(fromFile.streams().get(0).spec().output().signed()).isTrue();

        String fromEnv = "Hq4wE8rT2yU6iO0pA3sD7fG1jK5lZ9xC";
        assertThat(NodeConfig.load(f, Map.of("STREAMLOOM_PLAYBACK_KEY", fromEnv), 1935, 8081).playbackKeys())
                .containsExactly(fromEnv);
        // public outputs need no key
        Files.writeString(f, "{\"streams\": [{\"key\": \"0123456789abcdef0123\", \"spec\": {\"name\": \"a\"}}]}");
        assertThat(NodeConfig.load(f, Map.of(), 1935, 8081).playbackKeys()).isEmpty();
    }

    @Test
    void tlsFromTheEnvironmentTurnsEveryAdvertisedUrlToRtmpsAndHttps() throws Exception {
        NodeConfig c = NodeConfig.load(null, Map.of("STREAMLOOM_TLS_CERT_FILE", "/etc/streamloom/tls/tls.crt",
                "STREAMLOOM_TLS_KEY_FILE", "/etc/streamloom/tls/tls.key", "STREAMLOOM_ADVERTISE_HOST", "edge-0.edge",
                "STREAMLOOM_PUBLIC_HOST", "video.example.org"), 1935, 8081);
        assertThat(c.tls()).isTrue();
        assertThat(c.ingestUrl()).isEqualTo("rtmps://video.example.org:1935/live");
        assertThat(c.playbackUrl("studio")).isEqualTo("https://video.example.org:8081/hls/studio/index.m3u8");
        assertThat(c.advertisedRtmpUrl()).isEqualTo("rtmps://edge-0.edge:1935");
        assertThat(c.advertisedHttpUrl()).isEqualTo("https://edge-0.edge:8081");
    }

    @Test
    void tlsIsOffUntilConfiguredAndNeedsBothFiles() throws Exception {
        assertThat(NodeConfig.load(null, Map.of(), 1935, 8081).tls()).isFalse();
        assertThat(NodeConfig.load(null, Map.of(), 1935, 8081).loadTls()).isNull();
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_TLS_CERT_FILE", "/tls/tls.crt"), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("tlsKeyFile"));
        Path f = dir.resolve("edge.json");
        Files.writeString(f, "{\"tlsKeyFile\": \"/tls/tls.key\"}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("tlsCertFile"));
    }

    @Test
    void namedPlainPortsBesideTlsAreWhatTheClusterIsToldAndNeedTls() throws Exception {
        NodeConfig c = NodeConfig.load(null, Map.of("STREAMLOOM_TLS_CERT_FILE", "/tls/tls.crt",
                "STREAMLOOM_TLS_KEY_FILE", "/tls/tls.key", "STREAMLOOM_ADVERTISE_HOST", "10.0.0.7",
                "STREAMLOOM_PLAIN_RTMP_PORT", "1945", "STREAMLOOM_PLAIN_HTTP_PORT", "8091"), 1935, 8081);
        assertThat(c.advertisedRtmpUrl()).isEqualTo("rtmp://10.0.0.7:1945");
        assertThat(c.advertisedHttpUrl()).isEqualTo("http://10.0.0.7:8091");
        assertThat(c.ingestUrl()).isEqualTo("rtmps://10.0.0.7:1935/live");
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_PLAIN_RTMP_PORT", "1945"), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("plainRtmpPort"));
    }

    @Test
    void httpLimitsKeepTheirSafeDefaultsUnlessTheFileOrTheEnvironmentSetsThem() throws Exception {
        HttpServerSettings defaults = HttpServerSettings.defaults(8081);
        HttpServerSettings unset = NodeConfig.load(null, Map.of(), 1935, 8081).httpSettings();
        assertThat(unset.maxConnections()).isEqualTo(defaults.maxConnections());
        assertThat(unset.headerTimeout()).isEqualTo(defaults.headerTimeout());
        assertThat(unset.idleTimeout()).isEqualTo(defaults.idleTimeout());
        assertThat(unset.maxQueuedBytes()).isEqualTo(defaults.maxQueuedBytes());
        assertThat(unset.metricsInterval()).isEqualTo(defaults.metricsInterval());

        Path f = Files.writeString(dir.resolve("edge.json"), """
                {"bindHost": "127.0.0.1", "corsAllowedOrigins": ["https://studio.example.com"],
                 "http": {"maxConnections": 300, "headerTimeoutMs": 4000, "maxQueuedBytes": 1048576}}""");
        HttpServerSettings s = NodeConfig.load(f, Map.of("STREAMLOOM_HTTP_MAX_CONNECTIONS", "500",
                "STREAMLOOM_HTTP_IDLE_TIMEOUT_MS", "15000", "STREAMLOOM_HTTP_METRICS_INTERVAL_MS", "5000"),
                1935, 8081).httpSettings();
        assertThat(s.maxConnections()).isEqualTo(500);
        assertThat(s.headerTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.maxQueuedBytes()).isEqualTo(1_048_576);
        assertThat(s.metricsInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8081);
        assertThat(s.corsAllowedOrigins()).containsExactly("https://studio.example.com");
        assertThat(s.maxBodyBytes()).isEqualTo(defaults.maxBodyBytes());
    }

    @Test
    void anHttpLimitOutOfRangeStopsTheStartNamingItsField() throws Exception {
        Path f = Files.writeString(dir.resolve("edge.json"), "{\"http\": {\"maxQueuedBytes\": 10}}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("http.maxQueuedBytes"));
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_HTTP_HEADER_TIMEOUT_MS", "0"), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class,
                        e -> assertThat(e.field()).isEqualTo("http.headerTimeoutMs"));
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_HTTP_MAX_CONNECTIONS", "many"), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class,
                        e -> assertThat(e.field()).isEqualTo("STREAMLOOM_HTTP_MAX_CONNECTIONS"));
        Files.writeString(f, "{\"http\": {\"maxConnection\": 5}}");
        assertThatThrownBy(() -> NodeConfig.load(f, Map.of(), 1935, 8081)).hasMessageContaining("maxConnection");
    }
}
