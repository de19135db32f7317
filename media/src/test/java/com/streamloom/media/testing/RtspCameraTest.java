package com.streamloom.media.testing;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The test RTSP camera serves like a real one and names what is missing when it cannot start. */
class RtspCameraTest {

    @Test
    void answersDescribeAndStopsAndStartsOnTheSamePort() {
        try (RtspCamera camera = RtspCamera.builder().start()) {
            assertThat(ffprobeStreams(camera.url())).contains("h264").contains("320x240");
            int port = camera.port();
            camera.stop();
            assertThat(camera.isRunning()).isFalse();
            assertThat(FfmpegCli.probe(java.time.Duration.ofSeconds(10), "-rtsp_transport", "tcp", camera.url())
                    .exitCode()).as("nothing answers while the camera is off").isNotZero();
            camera.start();
            assertThat(camera.port()).isEqualTo(port);
            assertThat(ffprobeStreams(camera.url())).contains("h264");
        }
    }

    /**
     * Without Debian's python3-gi (hidden here by running Python with -S, which skips dist-packages) the script
     * names the packages to install instead of failing obscurely; RtspCamera turns that line into its exception.
     */
    @Test
    void namesTheDebianPackagesWhenGStreamerBindingsAreMissing() throws Exception {
        Path script = Files.createTempFile("rtsp_camera", ".py");
        try (InputStream in = RtspCamera.class.getResourceAsStream("/rtsp_camera.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "-S", script.toString(), "--port", "1")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(out).startsWith("MISSING").contains("python3-gi");
        Files.delete(script);
    }

    private static String ffprobeStreams(String url) {
        FfmpegCli.Result r = FfmpegCli.probe(java.time.Duration.ofSeconds(10), "-rtsp_transport", "tcp",
                "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", url).requireSuccess();
        return r.stdoutText().replace(',', 'x');
    }
}
