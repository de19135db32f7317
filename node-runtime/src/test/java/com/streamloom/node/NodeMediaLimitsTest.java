package com.streamloom.node;

import com.streamloom.media.codec.PictureLimit;
import com.streamloom.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invariant: a node's media limits come from its file's {@code media} object and the environment, else defaults. */
class NodeMediaLimitsTest {
    @TempDir
    Path dir;

    @Test
    void withoutAMediaObjectThePictureLimitIsUhdAndTheHlsBudgetAtMostHalfTheHeap() throws Exception {
        MediaLimits m = NodeConfig.load(null, Map.of(), 1935, 8081).mediaLimits();
        assertThat(m.pictureLimit()).isEqualTo(PictureLimit.DEFAULT).hasToString("3840x2160");
        assertThat(m.hlsBudgetBytes()).isEqualTo(Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 2));
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("edge.json"), """
                {"media": {"maxPicture": "1920x1080", "hlsMemoryBytes": 104857600}}""");
        MediaLimits m = NodeConfig.load(f, Map.of("STREAMLOOM_MEDIA_MAX_PICTURE", "1280x720"), 1935, 8081)
                .mediaLimits();
        assertThat(m.pictureLimit()).isEqualTo(new PictureLimit(1280, 720));
        assertThat(m.hlsBudgetBytes()).isEqualTo(104_857_600L);
    }

    @Test
    void anUnusableLimitIsRefusedAtLoadNamingItsField() throws Exception {
        Path picture = Files.writeString(dir.resolve("a.json"), """
                {"media": {"maxPicture": "huge"}}""");
        assertThatThrownBy(() -> NodeConfig.load(picture, Map.of(), 1935, 8081))
                .isInstanceOf(SpecException.class).hasMessageContaining("WIDTHxHEIGHT")
                .extracting(e -> ((SpecException) e).field()).isEqualTo("media.maxPicture");
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_MEDIA_HLS_MEMORY_BYTES", "1000"), 1935,
                8081)).isInstanceOf(SpecException.class)
                .extracting(e -> ((SpecException) e).field()).isEqualTo("media.hlsMemoryBytes");
    }

    @Test
    void theThumbnailIntervalIsASecondUnlessSetAndAtLeastATenthOfOne() throws Exception {
        assertThat(NodeConfig.load(null, Map.of(), 1935, 8081).mediaLimits().thumbnailInterval())
                .isEqualTo(java.time.Duration.ofSeconds(1));
        Path f = Files.writeString(dir.resolve("t.json"), """
                {"media": {"thumbnailIntervalMs": 500}}""");
        assertThat(NodeConfig.load(f, Map.of(), 1935, 8081).mediaLimits().thumbnailInterval())
                .isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(NodeConfig.load(f, Map.of("STREAMLOOM_MEDIA_THUMBNAIL_INTERVAL_MS", "2000"), 1935, 8081)
                .mediaLimits().thumbnailInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_MEDIA_THUMBNAIL_INTERVAL_MS", "10"), 1935,
                8081)).isInstanceOf(SpecException.class)
                .extracting(e -> ((SpecException) e).field()).isEqualTo("media.thumbnailIntervalMs");
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_MEDIA_THUMBNAIL_INTERVAL_MS", "soon"), 1935,
                8081)).isInstanceOf(SpecException.class)
                .extracting(e -> ((SpecException) e).field()).isEqualTo("STREAMLOOM_MEDIA_THUMBNAIL_INTERVAL_MS");
    }
}
