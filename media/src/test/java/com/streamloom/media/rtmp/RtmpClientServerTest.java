package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaPacket.Codec;
import com.streamloom.media.packet.MediaPacket.Track;
import com.streamloom.media.testing.ClosedAfterEach;
import com.streamloom.media.testing.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Our RTMP client and publisher against our RTMP server over real TCP. */
class RtmpClientServerTest {
    private static final String KEY = "edge-1-cam";
    @RegisterExtension
    final ClosedAfterEach open = new ClosedAfterEach();

    @Test
    void packetsArriveAsTheyWereSent() throws Exception {
        RecordingSink sink = new RecordingSink();
        RtmpServer server = start(0, sink);
        RtmpClient client = RtmpClient.publish(open.group(), RtmpUrl.parse("rtmp://127.0.0.1:" + server.port()
                + "/live/" + KEY), RtmpSettings.defaults(), null).get(10, TimeUnit.SECONDS);
        List<MediaPacket> sent = new ArrayList<>();
        sent.add(MediaPacket.videoConfig(Codec.H264, 0, new byte[] {1, 0x64, 0, 0x1F, (byte) 0xFF}));
        sent.add(MediaPacket.audioConfig(0, new byte[] {0x12, 0x10}));
        sent.add(new MediaPacket(Track.VIDEO, Codec.H264, 80_000, 0, true, false, nal(9000)));   // > one chunk
        sent.add(new MediaPacket(Track.AUDIO, Codec.AAC, 21_000, 21_000, true, false, new byte[] {1, 2, 3}));
        sent.add(new MediaPacket(Track.VIDEO, Codec.H264, 33_000, 33_000, false, false, nal(300)));
        // Past the 24-bit timestamp field: the extended timestamp is used.
        sent.add(new MediaPacket(Track.AUDIO, Codec.AAC, 20_000_000_000L, 20_000_000_000L, true, false,
                new byte[] {4}));
        for (MediaPacket p : sent) {
            client.send(p);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.packets().size() == sent.size());
        assertThat(sink.packets()).map(RtmpServerSessionTest::describe)
                .containsExactlyElementsOf(sent.stream().map(RtmpServerSessionTest::describe).toList());
        client.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.endReasons().isEmpty());
        assertThat(sink.endReasons()).containsExactly("unpublished (FCUnpublish)");
    }

    @Test
    void clientReportsAWrongKey() throws Exception {
        RtmpServer server = start(0, new RecordingSink());
        assertThatThrownBy(() -> RtmpClient.publish(open.group(), RtmpUrl.parse("rtmp://127.0.0.1:" + server.port()
                + "/live/wrong"), RtmpSettings.defaults(), null).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RtmpPublishFailedException.class)
                .hasMessageContaining("NetStream.Publish.BadName (unknown stream key)");
    }

    @Test
    void publisherReconnectsAfterServerRestartAndResendsConfiguration() throws Exception {
        int port = freePort();
        RecordingSink first = new RecordingSink();
        RtmpServer server = start(port, first);
        RtmpPublisher publisher = new RtmpPublisher(RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + KEY),
                RtmpSettings.defaults(), 64, Duration.ofMillis(100), Duration.ofMillis(400)).start();
        open.add(publisher);
        await().atMost(Duration.ofSeconds(5)).until(publisher::isPublishing);
        ScheduledExecutorService source = Executors.newSingleThreadScheduledExecutor();
        open.add(source::shutdownNow);
        AtomicLong frame = new AtomicLong();
        publisher.accept(MediaPacket.videoConfig(Codec.H264, 0, new byte[] {1, 0x42, 0, 0x1E}));
        publisher.accept(MediaPacket.audioConfig(0, new byte[] {0x12, 0x10}));
        source.scheduleAtFixedRate(() -> {
            long n = frame.getAndIncrement();
            long t = n * 20_000;
            publisher.accept(new MediaPacket(Track.VIDEO, Codec.H264, t, t, n % 10 == 0, false, nal(100)));
            publisher.accept(new MediaPacket(Track.AUDIO, Codec.AAC, t, t, true, false, new byte[] {7}));
        }, 0, 20, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.packets().size() > 20);

        server.close();
        open.forget(server);
        await().atMost(Duration.ofSeconds(5)).until(() -> !publisher.isPublishing());
        long droppedWhileDown = publisher.droppedPackets();
        Thread.sleep(300);
        RecordingSink second = new RecordingSink();
        start(port, second);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.packets().size() > 20);

        assertThat(publisher.publishes()).isEqualTo(2);
        assertThat(publisher.droppedPackets()).isGreaterThan(droppedWhileDown);
        List<MediaPacket> again = second.packets();
        // The new connection starts with both configurations, and its video with a keyframe.
        assertThat(again.subList(0, 2)).allMatch(MediaPacket::config)
                .anyMatch(MediaPacket::isVideo).anyMatch(MediaPacket::isAudio);
        MediaPacket firstFrame = again.stream().filter(p -> p.isVideo() && !p.config()).findFirst().orElseThrow();
        assertThat(firstFrame.keyframe()).isTrue();
        List<MediaPacket> frames = again.stream().filter(p -> p.isVideo() && !p.config()).toList();
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).dtsMicros()).isGreaterThan(frames.get(i - 1).dtsMicros());
        }
    }

    @Test
    void publisherDropsInsteadOfQueueingWhileNoServerListens() throws Exception {
        RtmpPublisher publisher = new RtmpPublisher(RtmpUrl.parse("rtmp://127.0.0.1:" + freePort() + "/live/x"),
                RtmpSettings.defaults(), 8, Duration.ofMillis(100), Duration.ofMillis(200)).start();
        open.add(publisher);
        for (int i = 0; i < 1000; i++) {
            publisher.accept(new MediaPacket(Track.AUDIO, Codec.AAC, i * 1000L, i * 1000L, true, false, new byte[100]));
        }
        assertThat(publisher.droppedPackets()).isEqualTo(1000);
        assertThat(publisher.isPublishing()).isFalse();
    }

    private RtmpServer start(int port, RecordingSink sink) throws InterruptedException {
        ExclusivePublishers exclusive = new ExclusivePublishers();
        RtmpServer server = RtmpServer.start(new InetSocketAddress("127.0.0.1", port), RtmpSettings.defaults(),
                request -> {
                    if (!request.streamKey().equals(KEY)) {
                        throw new PublishRejectedException("unknown stream key");
                    }
                    return exclusive.claim("cam", sink);
                });
        open.add(server);
        return server;
    }

    private static byte[] nal(int size) {
        byte[] b = new byte[4 + size];
        b[0] = (byte) (size >>> 24);
        b[1] = (byte) (size >>> 16);
        b[2] = (byte) (size >>> 8);
        b[3] = (byte) size;
        for (int i = 4; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
