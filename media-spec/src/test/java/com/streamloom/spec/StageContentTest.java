package com.streamloom.spec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a stage carries for a node to build (filter graph, subtitle document, picture) is refused when no node could. */
class StageContentTest {
    /** The 8-byte PNG signature and a little more: enough for the check, which reads no further. */
    private static final byte[] PNG_START = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};

    private static StageSpec stage(String type, Map<String, ?> params) {
        return new StageSpec(type, params).validated("stages[2]");
    }

    private static void assertRefused(String type, Map<String, ?> params, String field, String message) {
        assertThatThrownBy(() -> stage(type, params)).isInstanceOf(SpecException.class)
                .hasMessageContaining(message).extracting(e -> ((SpecException) e).field()).isEqualTo(field);
    }

    @Test
    void ffmpegGraphsNodesBuildAreAccepted() {
        for (String graph : new String[]{"null", "hqdn3d=4", "eq=gamma=1.2:saturation=1.3", "hflip,vflip",
                "scale=w=640:h=-2,format=yuv420p", "split[a][b];[a]boxblur=5[x];[b][x]overlay=10:10",
                "drawbox=x=10:y=10:w=100:h=100:color='red@0.5'", "eq@bright=brightness=0.1", " hflip , vflip "}) {
            assertThatCode(() -> stage("ffmpeg", Map.of("graph", graph))).as(graph).doesNotThrowAnyException();
        }
    }

    @Test
    void ffmpegGraphWithUnknownFilterNamesIt() {
        assertRefused("ffmpeg", Map.of("graph", "nosuchfilter=3"), "stages[2].graph", "unknown filter 'nosuchfilter'");
        assertRefused("ffmpeg", Map.of("graph", "hflip,nosuchfilter"), "stages[2].graph", "'nosuchfilter'");
    }

    @Test
    void ffmpegGraphMayNotReachFilesOrTheNetwork() {
        assertRefused("ffmpeg", Map.of("graph", "movie=/etc/passwd"), "stages[2].graph", "unknown filter 'movie'");
        assertRefused("ffmpeg", Map.of("graph", "zmq"), "stages[2].graph", "unknown filter 'zmq'");
        // curves and selectivecolor read a file through a positional argument too: they are not on the list
        assertRefused("ffmpeg", Map.of("graph", "curves=psfile=/etc/passwd"), "stages[2].graph",
                "unknown filter 'curves'");
        assertRefused("ffmpeg", Map.of("graph", "selectivecolor=:/etc/passwd"), "stages[2].graph",
                "unknown filter 'selectivecolor'");
        // paletteuse writes a file through debug_kdtree, its sixth positional argument
        assertRefused("ffmpeg", Map.of("graph", "paletteuse=bayer:2:rectangle:0:128:/tmp/tree.dot"), "stages[2].graph",
                "unknown filter 'paletteuse'");
        assertRefused("ffmpeg", Map.of("graph", "hqdn3d=4,reverse"), "stages[2].graph", "unknown filter 'reverse'");
        assertRefused("ffmpeg", Map.of("graph", "loop=loop=-1:size=32767"), "stages[2].graph", "unknown filter 'loop'");
        assertRefused("ffmpeg", Map.of("graph", "eq=/gamma=/etc/passwd"), "stages[2].graph", "option '/gamma'");
    }

    @Test
    void ffmpegGraphSyntaxErrorsSayWhere() {
        assertRefused("ffmpeg", Map.of("graph", "[in"), "stages[2].graph", "not closed");
        assertRefused("ffmpeg", Map.of("graph", "[]hflip"), "stages[2].graph", "empty link label");
        assertRefused("ffmpeg", Map.of("graph", "hflip,"), "stages[2].graph", "expected a filter name at character 7");
        assertRefused("ffmpeg", Map.of("graph", "eq=gamma='1.2"), "stages[2].graph", "not closed");
        assertRefused("ffmpeg", Map.of("graph", "hflip[out]]"), "stages[2].graph", "unexpected ']' at character 11");
        assertRefused("ffmpeg", Map.of("graph", " "), "stages[2].graph", "is empty");
    }

    @Test
    void theAllowListHoldsNoFilterThatReachesOutsideTheProcess() {
        assertThat(FfmpegFilters.allowed()).contains("hqdn3d", "eq", "scale", "overlay", "split", "null")
                .doesNotContain("movie", "amovie", "sendcmd", "zmq", "drawtext", "subtitles", "lut3d", "frei0r",
                        "hwupload", "scale_cuda", "reverse", "realtime");
    }

    @Test
    void subtitlesThatParseAreAccepted() {
        assertThatCode(() -> stage("subtitles", Map.of("format", "srt",
                "content", "1\n00:00:01,000 --> 00:00:02,000\nHello\n"))).doesNotThrowAnyException();
        assertThatCode(() -> stage("subtitles", Map.of("format", "vtt",
                "content", "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n"))).doesNotThrowAnyException();
    }

    @Test
    void subtitlesThatDoNotParseNameTheContentAndLine() {
        assertRefused("subtitles", Map.of("format", "srt", "content", "1\n00:00:01,000 -> 00:00:02,000\nHello\n"),
                "stages[2].content", "line 1");
        assertRefused("subtitles", Map.of("format", "srt", "content", "1\n00:00:05,000 --> 00:00:02,000\nHi\n"),
                "stages[2].content", "before it starts");
        assertRefused("subtitles", Map.of("format", "vtt", "content", "1\n00:00:01,000 --> 00:00:02,000\nHi\n"),
                "stages[2].content", "WEBVTT");
    }

    @Test
    void imageDataUrisMustBeBase64OfAnImage() {
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG_START);
        assertThatCode(() -> stage("image", Map.of("source", png))).doesNotThrowAnyException();
        assertThatCode(() -> stage("image", Map.of("source", "logos/ours.png"))).doesNotThrowAnyException();
        assertRefused("image", Map.of("source", "data:image/png;base64,%%%not-base64"), "stages[2].source",
                "invalid base64");
        assertRefused("image", Map.of("source", "data:text/html;base64,PGgxPg=="), "stages[2].source", "image type");
        assertRefused("image", Map.of("source", "data:image/png,rawbytes"), "stages[2].source", "must be base64");
        assertRefused("image", Map.of("source", "data:image/png;base64," + Base64.getEncoder()
                .encodeToString("<svg/>".getBytes(StandardCharsets.UTF_8))), "stages[2].source", "not a png image");
        assertRefused("image", Map.of("source", "data:image/png;base64," + "A".repeat(3_999_900)), "stages[2].source",
                "larger than " + ImageSource.MAX_DATA_URI_BYTES);
        assertRefused("image", Map.of(), "stages[2].source", "is required");
    }

    @Test
    void imageFilesAreRelativePathsUnderTheAssetsDirectory() {
        String rule = "relative path of an image under the node's assets directory, without '..'";
        assertRefused("image", Map.of("source", "/etc/passwd"), "stages[2].source", rule);
        assertRefused("image", Map.of("source", "../secret.png"), "stages[2].source", rule);
        assertRefused("image", Map.of("source", "logos/../../secret.png"), "stages[2].source", rule);
        assertRefused("image", Map.of("source", "logos\\..\\..\\secret.png"), "stages[2].source", rule);
        assertRefused("image", Map.of("source", "C:\\secret.png"), "stages[2].source", rule);
        assertRefused("image", Map.of("source", "logo.png\n"), "stages[2].source", rule);
        assertThatCode(() -> stage("image", Map.of("source", "./logos/..x.png"))).doesNotThrowAnyException();
    }

    @Test
    void rotateStatesTheAllowedAngles() {
        assertRefused("rotate", Map.of("degrees", 45), "stages[2].degrees", "must be 90, 180 or 270");
        assertRefused("rotate", Map.of("degrees", 360), "stages[2].degrees", "must be 90, 180 or 270");
        assertThat(stage("rotate", Map.of("degrees", 180)).intParam("degrees")).isEqualTo(180);
    }

    @Test
    void pullUrlErrorsNameBothSchemes() {
        assertThatThrownBy(() -> new SourceSpec("rtsp-pull", "http://x", null, null).validated("source"))
                .hasMessageContaining("rtsp://").hasMessageContaining("rtsps://");
        assertThatThrownBy(() -> new SourceSpec("rtmp-pull", "http://x", null, null).validated("source"))
                .hasMessageContaining("rtmp://").hasMessageContaining("rtmps://");
        assertThat(new SourceSpec("rtsp-pull", "rtsps://cam.example/s", null, null).validated("source").url())
                .isEqualTo("rtsps://cam.example/s");
    }
}
