package com.streamloom.media.hls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every relative URI of a playlist, on a URI line or in a URI attribute, gains the parameter; nothing else changes. */
class PlaylistUrisTest {
    static final String TOKEN = "1900000600.aB3-_x";

    @Test
    void mediaPlaylistSegmentsPartsAndPreloadHintCarryTheParameter() {
        String playlist = """
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:1
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.00000
                #EXT-X-PART-INF:PART-TARGET=0.33333
                #EXT-X-MAP:URI="init.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-12-03T12:00:00.000Z
                #EXTINF:1.000,
                7.ts
                #EXT-X-PART:DURATION=0.33333,URI="8.0.ts",INDEPENDENT=YES
                #EXTINF:1.000,
                8.ts?x=1
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="9.0.ts"
                """;
        assertThat(PlaylistUris.withParameter(playlist, "token", TOKEN)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:1
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.00000
                #EXT-X-PART-INF:PART-TARGET=0.33333
                #EXT-X-MAP:URI="init.mp4?token=%1$s"
                #EXT-X-PROGRAM-DATE-TIME:2026-12-03T12:00:00.000Z
                #EXTINF:1.000,
                7.ts?token=%1$s
                #EXT-X-PART:DURATION=0.33333,URI="8.0.ts?token=%1$s",INDEPENDENT=YES
                #EXTINF:1.000,
                8.ts?x=1&token=%1$s
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="9.0.ts?token=%1$s"
                """.formatted(TOKEN));
    }

    @Test
    void multivariantPlaylistsRenditionsCarryItAndForeignUrisDoNot() {
        String playlist = """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="en",URI="audio/index.m3u8"
                #EXT-X-SESSION-KEY:METHOD=AES-128,URI="https://keys.example.org/k1"
                #EXT-X-STREAM-INF:BANDWIDTH=2500000,AUDIO="aac"
                720p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=800000
                https://cdn.example.org/360p/index.m3u8
                """;
        assertThat(PlaylistUris.withParameter(playlist, "token", TOKEN)).isEqualTo("""
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="en",URI="audio/index.m3u8?token=%1$s"
                #EXT-X-SESSION-KEY:METHOD=AES-128,URI="https://keys.example.org/k1"
                #EXT-X-STREAM-INF:BANDWIDTH=2500000,AUDIO="aac"
                720p/index.m3u8?token=%1$s
                #EXT-X-STREAM-INF:BANDWIDTH=800000
                https://cdn.example.org/360p/index.m3u8
                """.formatted(TOKEN));
    }

    @Test
    void theRenderedLowLatencyPlaylistKeepsEveryLineButTheUris() {
        String rendered = """
                #EXTM3U
                #EXT-X-DISCONTINUITY
                #EXTINF:2.000,
                0.ts
                """;
        String out = PlaylistUris.withParameter(rendered, "token", TOKEN);
        assertThat(out.lines().toList()).hasSameSizeAs(rendered.lines().toList());
        assertThat(out).endsWith("0.ts?token=" + TOKEN + "\n").startsWith("#EXTM3U\n#EXT-X-DISCONTINUITY\n");
    }
}
