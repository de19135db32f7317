package com.streamloom.media.node;

import com.streamloom.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
