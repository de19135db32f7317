package com.streamloom.edge;

import com.streamloom.media.testing.HlsProbe;
import com.streamloom.media.testing.SyntheticPublisher;
import com.streamloom.spec.StageSpec;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.PipelineStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A live stream's image stage shows a file from the node's assets directory and is refused any file outside it. */
class EdgeImageAssetTest {
    private static final String KEY = "image-asset-key-0123456789";
    private static final HlsProbe.Region LOGO = new HlsProbe.Region(0, 0, 0.25, 0.25);
    private static final HlsProbe.Region BESIDE = new HlsProbe.Region(0.75, 0.75, 0.25, 0.25);

    @TempDir
    Path tmp;

    @Test
    void aLogoFromTheAssetsDirectoryIsBlendedAndAFileOutsideIsRefusedByName() throws Exception {
        Path assets = Files.createDirectories(tmp.resolve("assets/logos"));
        BufferedImage white = new BufferedImage(80, 60, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                white.setRGB(x, y, 0xFFFFFFFF);
            }
        }
        ImageIO.write(white, "png", assets.resolve("white.png").toFile());
        ImageIO.write(white, "png", tmp.resolve("outside.png").toFile());
        String spec = """
                {"name": "branded", "stages": [{"type": "image", "source": "logos/white.png", "x": 0, "y": 0}],
                 "encoding": {"bitrateKbps": 800}, "output": {"segmentSeconds": 1, "windowSegments": 10}}""";
        try (OneStreamEdge one = OneStreamEdge.withSpec(KEY, spec,
                Map.of("STREAMLOOM_ASSETS_DIR", tmp.resolve("assets").toString()));
             SyntheticPublisher publisher = SyntheticPublisher.builder().size(320, 240).fps(30).colour("red")
                     .publishTo(one.server + "/" + KEY)) {
            HlsProbe.Playlist p = one.awaitPlaylist(pl -> pl.segments().size() >= 2);
            HlsProbe.Media media = HlsProbe.decode(HlsProbe.download(p.last().uri()), LOGO, BESIDE);
            assertThat(media.pictures()).isNotEmpty().allSatisfy(pic -> {
                assertThat(pic.regions().get(0).y()).as("white logo (Y 235)").isGreaterThan(200);
                assertThat(pic.regions().get(1).y()).as("the red picture beside it (Y ~82)").isBetween(60.0, 110.0);
            });

            // an image outside the assets is refused naming the field, in one text whether the file exists or not:
            // by the spec's rules when its spelling climbs out, by the node when a link leads out
            Files.createSymbolicLink(assets.resolve("escape.png"), tmp.resolve("outside.png"));
            Files.createSymbolicLink(assets.resolve("dangling.png"), tmp.resolve("missing.png"));
            StreamSpec good = one.edge.streams().get("branded").spec();
            assertThat(refusal(one, good, "../outside.png")).isEqualTo(refusal(one, good, "../missing.png"))
                    .isEqualTo(refusal(one, good, tmp.resolve("outside.png").toString()))
                    .startsWith("stages[0].source: must be a data: URI or the relative path of an image");
            assertThat(refusal(one, good, "logos/escape.png")).isEqualTo(refusal(one, good, "logos/dangling.png"))
                    .isEqualTo(refusal(one, good, "logos/missing.png"))
                    .startsWith("stages[0].source: is not an allowed asset")
                    .doesNotContain("outside").doesNotContain("missing").doesNotContain(tmp.toString());
            assertThat(one.edge.streamNames()).containsExactly("branded");
        }
    }

    /** The error of a stream applied beside the running one whose image stage names {@code source}. */
    private static String refusal(OneStreamEdge one, StreamSpec good, String source) {
        StreamSpec escaping = new StreamSpec("escaping", good.source(),
                List.of(new StageSpec("image", Map.of("source", source))), good.encoding(), good.output());
        one.edge.apply(new DesiredState(1, List.of(new DesiredState.StreamAssignment("branded", good),
                new DesiredState.StreamAssignment("id-escaping", escaping)), List.of()));
        PipelineStatus failed = one.edge.statuses().stream().filter(s -> s.id().equals("id-escaping"))
                .findFirst().orElseThrow();
        assertThat(failed.state()).isEqualTo("failed");
        return failed.error();
    }
}
