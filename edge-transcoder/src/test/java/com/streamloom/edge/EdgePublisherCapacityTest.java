package com.streamloom.edge;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.rtmp.RtmpClient;
import com.streamloom.media.rtmp.RtmpPublishFailedException;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.rtmp.RtmpUrl;
import com.streamloom.media.testing.PacketsForTests;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant: 200 publishers at once on one edge are each let in or refused by the edge's stream capacity
 * ({@code maxStreams}), a refusal with a status that says so, while a good stream keeps playing.
 *
 * <p>200 ffmpeg processes are too heavy for a small machine, so each publisher is our RTMP client replaying a tiny
 * H.264 + AAC clip (96x64, 10 fps) that ffmpeg encodes once here; the edge cannot tell it from a camera's. The
 * edge runs in open development mode, so each key names a stream of its own and every publisher asks for a new one.
 */
class EdgePublisherCapacityTest {
    private static final int MAX_STREAMS = 8;
    private static final int PUBLISHERS = 200;

    @Test
    void twoHundredPublishersAtOnceAreEachAcceptedOrRefusedByCapacity(@TempDir Path dir) throws Exception {
        List<MediaPacket> clip = PacketsForTests.packets(dir, "tiny",
                new PacketsForTests.Source(2, 10, 10, 0, 96, 64));
        EventLoopGroup group = new NioEventLoopGroup(2);
        // each accepted publisher gets the clip at once: one that sent nothing for 10 s would be closed as idle
        List<RtmpClient> accepted = new CopyOnWriteArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = replay(clip, accepted, sending);
        try (FloodedEdge edge = FloodedEdge.start("\"openDevMode\": true, \"maxStreams\": " + MAX_STREAMS)) {
            long before = edge.sequence();
            List<CompletableFuture<RtmpClient>> attempts = new ArrayList<>();
            for (int i = 0; i < PUBLISHERS; i++) {
                attempts.add(RtmpClient.publish(group, RtmpUrl.parse("rtmp://127.0.0.1:" + edge.rtmpPort
                                + "/live/crowd-" + i), RtmpSettings.defaults(), () -> { },
                        new InetSocketAddress(FloodedEdge.source(i), 0)));
                attempts.get(i).thenAccept(accepted::add);
            }
            List<String> refusals = new ArrayList<>();
            List<String> acceptedNames = new ArrayList<>();
            for (int i = 0; i < PUBLISHERS; i++) {
                try {
                    attempts.get(i).get(60, TimeUnit.SECONDS);
                    acceptedNames.add("crowd-" + i);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as("publisher %d", i).isInstanceOf(RtmpPublishFailedException.class);
                    refusals.add(e.getCause().getMessage());
                }
            }

            // the good stream holds one of the slots; every other publisher got an answer, yes or no
            assertThat(accepted).hasSize(MAX_STREAMS - 1);
            assertThat(refusals).hasSize(PUBLISHERS - (MAX_STREAMS - 1)).allSatisfy(r -> assertThat(r)
                    .contains("NetStream.Publish.Failed", "edge is at capacity: " + MAX_STREAMS + " streams"));

            for (String name : acceptedNames) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> edge.playlist(name) != null && !edge.playlist(name).segments().isEmpty());
                assertThat(edge.edge.streams().get(name).state()).as(name).isEqualTo("live");
            }
            edge.awaitSequence(before);

            sending.set(false);
            sender.join();
            accepted.forEach(RtmpClient::close);
            await().atMost(Duration.ofSeconds(30)).until(() -> acceptedNames.stream()
                    .noneMatch(n -> edge.edge.streams().get(n).isPublishing()));
            edge.awaitSequence(edge.sequence());
            edge.assertMemoryBounded("200 publishers at once");
            edge.assertNewPublisherGoesLive();
        } finally {
            sending.set(false);
            sender.join();
            accepted.forEach(RtmpClient::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends the clip in real time, over and over, its timestamps moving on with each round, to every client in
     * {@code clients}; one that joins gets the codec configuration first and starts wherever the clip is.
     */
    private static Thread replay(List<MediaPacket> clip, List<RtmpClient> clients, AtomicBoolean sending) {
        long clipMicros = clip.get(clip.size() - 1).dtsMicros() + 100_000;
        List<MediaPacket> configs = clip.stream().filter(MediaPacket::config).toList();
        Thread t = new Thread(() -> {
            Set<RtmpClient> configured = new HashSet<>();
            long start = System.nanoTime();
            for (long round = 0; sending.get(); round++) {
                for (MediaPacket p : clip) {
                    if (p.config()) {
                        continue;
                    }
                    long at = round * clipMicros + p.dtsMicros();
                    long wait = at - (System.nanoTime() - start) / 1000;
                    if (wait > 0) {
                        sleepMicros(wait);
                    }
                    if (!sending.get()) {
                        return;
                    }
                    for (RtmpClient c : clients) {
                        if (configured.add(c)) {
                            configs.forEach(config -> c.send(config.withTimes(at, at)));
                        }
                        if (c.isWritable()) {
                            c.send(p.withTimes(round * clipMicros + p.ptsMicros(), at));
                        }
                    }
                }
            }
        }, "capacity-replay");
        t.start();
        return t;
    }

    private static void sleepMicros(long micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
