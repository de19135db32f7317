package com.streamloom.spec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The host of a media URL is found as FFmpeg finds it, and replacing it keeps everything else. */
class UrlHostTest {
    @Test
    void findsTheHostBehindCredentialsAndBeforeThePort() {
        assertThat(UrlHost.of("rtsp://cam.local/stream1")).isEqualTo("cam.local");
        assertThat(UrlHost.of("rtsp://admin:p@ss@10.0.0.5:554/h264?x=1")).isEqualTo("10.0.0.5");
        assertThat(UrlHost.of("rtmp://[fe80::1]:1935/live/key")).isEqualTo("fe80::1");
        assertThat(UrlHost.of("rtmps://server/app/key@other")).isEqualTo("server");
        assertThat(UrlHost.of("rtsp://169.254.169.254")).isEqualTo("169.254.169.254");
    }

    @Test
    void replacesOnlyTheHost() {
        assertThat(UrlHost.with("rtsp://admin:pw@cam.local:8554/s?x=1", "10.0.0.5"))
                .isEqualTo("rtsp://admin:pw@10.0.0.5:8554/s?x=1");
        assertThat(UrlHost.with("rtmp://server/live/key", "::1")).isEqualTo("rtmp://[::1]/live/key");
        assertThat(UrlHost.with("rtmp://[::1]:1935/live/key", "127.0.0.1")).isEqualTo("rtmp://127.0.0.1:1935/live/key");
    }
}
