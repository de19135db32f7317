package com.streamloom.media.overlay;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** An image source reads data: URIs and regular files inside the assets directory only; a refusal hides existence. */
class ImageAssetsTest {
    private static final byte[] LOGO = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    @TempDir
    Path tmp;
    private Path assetsDir;
    private Path outside;
    private ImageAssets assets;

    @BeforeEach
    void files() throws IOException {
        assetsDir = Files.createDirectories(tmp.resolve("assets"));
        Files.createDirectories(assetsDir.resolve("logos"));
        Files.write(assetsDir.resolve("logos/ours.png"), LOGO);
        outside = Files.write(tmp.resolve("secret.png"), LOGO);
        assets = ImageAssets.of(assetsDir, 1000);
    }

    @Test
    void readsAFileUnderTheAssetsDirectory() {
        assertThat(assets.read("logos/ours.png")).isEqualTo(LOGO);
        assertThat(assets.read("./logos/./ours.png")).isEqualTo(LOGO);
    }

    @Test
    void followsALinkThatStaysInside() throws IOException {
        Files.createSymbolicLink(assetsDir.resolve("current.png"), assetsDir.resolve("logos/ours.png"));
        assertThat(assets.read("current.png")).isEqualTo(LOGO);
    }

    @Test
    void refusesALinkThatPointsOut() throws IOException {
        Files.createSymbolicLink(assetsDir.resolve("escape.png"), outside);
        Files.createSymbolicLink(assetsDir.resolve("up"), tmp);
        assertRefused("escape.png");
        assertRefused("up/secret.png");
    }

    @Test
    void refusesDotDotAndAbsolutePathsEvenWhenTheyLeadBackInside() {
        assertRefused("../secret.png");
        assertRefused("logos/../logos/ours.png");
        assertRefused(outside.toString());
        assertRefused(assetsDir.resolve("logos/ours.png").toString());
    }

    @Test
    void aMissingFileAndAnExistingFileOutsideGetTheSameAnswer() {
        String existing = message("../secret.png");
        assertThat(message("../no-such-file.png")).isEqualTo(existing);
        assertThat(message("no-such-file.png")).isEqualTo(existing);
        assertThat(message(outside.toString())).isEqualTo(existing);
        assertThat(message(tmp.resolve("no-such-file.png").toString())).isEqualTo(existing);
        assertThat(existing).doesNotContain("secret").doesNotContain(tmp.toString()).doesNotContainIgnoringCase("exist");
    }

    @Test
    void refusesWhatIsNotARegularFile() throws IOException, InterruptedException {
        assertRefused("logos");
        assertRefused(".");
        Path fifo = assetsDir.resolve("pipe.png");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertRefused("pipe.png"); // reading a pipe would block the thread applying the spec
    }

    @Test
    void boundsFilesAndDataUrisBySize() throws IOException {
        Files.write(assetsDir.resolve("big.png"), new byte[1001]);
        assertThatThrownBy(() -> assets.read("big.png")).hasMessageContaining("larger than 1000 bytes");
        String big = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[1500]);
        assertThatThrownBy(() -> assets.read(big)).hasMessageContaining("larger than 1000 bytes");
        String small = "data:image/png;base64," + Base64.getEncoder().encodeToString(LOGO);
        assertThat(assets.read(small)).isEqualTo(LOGO);
    }

    @Test
    void withoutAnAssetsDirectoryOnlyDataUrisAreRead() {
        ImageAssets dataOnly = ImageAssets.dataOnly();
        assertThatThrownBy(() -> dataOnly.read("logos/ours.png")).hasMessageContaining("data: URIs only");
        assertThatThrownBy(() -> dataOnly.read(outside.toString())).hasMessageContaining("data: URIs only");
        assertThat(dataOnly.read("data:image/png;base64," + Base64.getEncoder().encodeToString(LOGO))).isEqualTo(LOGO);
    }

    @Test
    void anAssetsDirectoryThatIsNoneIsASettingError() {
        assertThatThrownBy(() -> ImageAssets.of(outside, 1000)).hasMessageContaining("assetsDir")
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ImageAssets.of(tmp.resolve("nope"), 1000)).hasMessageContaining("assetsDir");
    }

    private void assertRefused(String source) {
        assertThatThrownBy(() -> assets.read(source)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not an allowed asset");
    }

    private String message(String source) {
        return catchThrowable(() -> assets.read(source)).getMessage();
    }
}
