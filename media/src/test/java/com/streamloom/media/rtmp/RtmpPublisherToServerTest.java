package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Our RTMP client against our RTMP server, the path an edge forwards to a compositor on: the
 * publish goes through (name and query as sent), config packets arrive first, then media from a keyframe.
 */
class RtmpPublisherToServerTest {

    @Test
    void publisherDeliversConfigThenMediaWithTheQueryOfItsUrl(@TempDir Path dir) throws Exception {
        List<MediaPacket> packets = PacketsForTests.packets(dir, "fwd", PacketsForTests.Source.small(1.0));
        RecordingSink received = new RecordingSink();
        AtomicReference<PublishRequest> request = new AtomicReference<>();
        try (RtmpServer server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(),
                req -> {
                    request.set(req);
                    return received;
                });
             RtmpPublisher publisher = new RtmpPublisher(RtmpUrl.parse("rtmp://127.0.0.1:" + server.port()
                     + "/live/studio?token=abc"), RtmpSettings.defaults()).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> request.get() != null);
            packets.forEach(publisher::accept);
            long videoMedia = packets.stream().filter(p -> p.isVideo() && !p.config()).count();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.videoPictures() == videoMedia);
        }
        assertThat(request.get().app()).isEqualTo("live");
        assertThat(request.get().streamKey()).isEqualTo("studio");
        assertThat(request.get().queryParameters()).containsEntry("token", "abc");
        MediaPacket first = received.packets().get(0);
        assertThat(first.config()).as("config first").isTrue();
        MediaPacket firstVideo = received.packets(p -> p.isVideo() && !p.config()).get(0);
        assertThat(firstVideo.keyframe()).isTrue();
    }
}
