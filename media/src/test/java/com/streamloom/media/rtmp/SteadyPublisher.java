package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaPacket.Codec;
import com.streamloom.media.packet.MediaPacket.Track;
import com.streamloom.media.testing.RecordingSink;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A well-behaved publisher beside an abusive client: our RTMP client publishing a small audio packet and a
 * 10 kB video packet (several chunks, so it holds partial messages on the server) every 20 ms.
 */
final class SteadyPublisher implements AutoCloseable {
    private final RtmpClient client;
    private final RecordingSink sink;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong time = new AtomicLong();

    private SteadyPublisher(RtmpClient client, RecordingSink sink) {
        this.client = client;
        this.sink = sink;
        timer.scheduleAtFixedRate(this::sendOne, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Publishes {@code key} to {@code server}; {@code sink} is where the server's handler puts that key's packets. */
    static SteadyPublisher start(EventLoopGroup group, RtmpServer server, String key, RecordingSink sink)
            throws Exception {
        RtmpClient client = RtmpClient.publish(group, RtmpUrl.parse("rtmp://127.0.0.1:" + server.port() + "/live/"
                + key), RtmpSettings.defaults(), null).get(10, TimeUnit.SECONDS);
        return new SteadyPublisher(client, sink);
    }

    private void sendOne() {
        long t = time.getAndAdd(20_000);
        client.send(new MediaPacket(Track.AUDIO, Codec.AAC, t, t, true, false, new byte[] {1, 2, 3}));
        client.send(new MediaPacket(Track.VIDEO, Codec.H264, t, t, false, false, nal(10_000)));
    }

    /** Packets arrive after this call as before it, and the publication has not ended. */
    void assertStillStreaming() {
        long before = sink.packets().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.packets().size() >= before + 20);
        assertThat(sink.endReasons()).as("the good publisher's publication").isEmpty();
        assertThat(client.isOpen()).isTrue();
    }

    private static byte[] nal(int size) {
        byte[] b = new byte[4 + size];
        b[0] = (byte) (size >>> 24);
        b[1] = (byte) (size >>> 16);
        b[2] = (byte) (size >>> 8);
        b[3] = (byte) size;
        return b;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.close();
    }
}
