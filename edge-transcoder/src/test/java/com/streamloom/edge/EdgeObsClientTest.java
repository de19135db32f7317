package com.streamloom.edge;

import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.HlsProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * It must work with OBS (29 and later: its RTMP client is not FFmpeg's): a real librtmp client
 * publishes to a real edge the way OBS's RTMP output does ({@link ObsLikePublisher}, {@code src/test/c}): the key as
 * play path, tcUrl = the server URL, Set Chunk Size 4096 before connect, releaseStream/FCPublish/createStream/publish
 * from librtmp, {@code @setDataFrame onMetaData} with OBS's fields, the audio then the video sequence header, H.264
 * and AAC in real time, FCUnpublish/deleteStream on stop. The media is what OBS produces with the settings the README
 * recommends (x264 veryfast zerolatency, CBR, keyframes every 2 s at 30 fps, AAC 160 kb/s 48 kHz stereo) and, in
 * the last test, with OBS's x264 defaults (B-frames).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeObsClientTest {
    static final String KEY = "obs-studio-key-0123456789";
    static final int TONE_HZ = 1000;
    static Path flv;
    static SourcePictures source;
    static OneStreamEdge edge;
    static ObsLikePublisher obs;

    @BeforeAll
    static void startEdge() throws Exception {
        ObsLikePublisher.binary(); // skips the class (before any media work) when gcc or librtmp is missing
        flv = GeneratedMedia.generate("obs-like-h264-aac-640x360-30s.flv",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=" + TONE_HZ + ":sample_rate=48000",
                "-t", "30", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", "60", "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "2500k",
                "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-f", "flv");
        source = SourcePictures.decode(flv);
        edge = OneStreamEdge.start("obs", KEY);
    }

    @AfterAll
    static void stop() {
        if (obs != null) {
            obs.close();
        }
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    @Order(1)
    void theEdgeAcceptsTheObsLikeClientAndItsHlsPlaysTheSourcePictureAndTone() {
        // a sanity check of the check: testsrc2 has structure, so a grey, black or foreign picture cannot match it
        assertThat(source.size()).isGreaterThan(800);
        assertThat(source.lumaContrast()).isGreaterThan(50);

        obs = ObsLikePublisher.start(edge.server, KEY, flv);
        HlsProbe.Playlist p = edge.awaitPlaylist(pl -> pl.segments().size() >= 3);
        assertThat(obs.isRunning()).as(obs.log()).isTrue();
        assertThat(obs.stdout()).contains("connected", "publishing");
        assertThat(obs.stderr()).contains("NetStream.Publish.Start");
        assertThat(edge.state()).isEqualTo("live");
        assertThat(p.discontinuities()).isZero();
        source.assertCarriedBy(SourcePictures.longestRecent(p), TONE_HZ);
    }

    @Test
    @Order(2)
    void aWrongKeyIsRefusedWithAStatusAndAClosedConnectionWhileTheLiveStreamGoesOn() {
        long before = edge.awaitPlaylist(pl -> !pl.segments().isEmpty()).last().sequence();
        try (ObsLikePublisher wrong = ObsLikePublisher.start(edge.server, "not-the-key-0123456789", flv)) {
            Integer code = wrong.awaitExit(Duration.ofSeconds(15));
            assertThat(code).as(wrong.log()).isEqualTo(ObsLikePublisher.EXIT_PUBLISH_REFUSED);
            // RTMP_ConnectStream gives up on a BadName status only when the connection closes (or after its 30 s
            // timeout, longer than this wait), so exit code 5 here means the edge closed it
            assertThat(wrong.stderr()).contains("NetStream.Publish.BadName").doesNotContain("NetStream.Publish.Start");
        }
        assertThat(obs.isRunning()).as(obs.log()).isTrue();
        edge.awaitPlaylist(pl -> pl.last().sequence() > before + 1);
        assertThat(edge.state()).isEqualTo("live");
    }

    @Test
    @Order(3)
    void stoppingTheClientTakesTheStreamOfflineAtOnce() {
        HlsProbe.Playlist live = edge.awaitPlaylist(pl -> pl.segments().size() >= 2);
        long stoppedAt = System.nanoTime();
        int code = obs.stop(Duration.ofSeconds(10));
        assertThat(code).as(obs.log()).isEqualTo(ObsLikePublisher.EXIT_OK);
        assertThat(obs.stdout()).contains("stopped", "closed");
        // FCUnpublish/deleteStream end the publication; it must not wait for the 10 s read-idle timeout
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(edge::state, "waiting"::equals);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(5));
        // what was published stays playable
        HlsProbe.Playlist after = edge.fetch();
        assertThat(after).isNotNull();
        assertThat(after.last().sequence()).isGreaterThanOrEqualTo(live.last().sequence());
        source.assertCarriedBy(after.last(), TONE_HZ);
    }

    @Test
    @Order(4)
    void reconnectingWithAQueryAfterTheKeyContinuesThePlaylistAfterADiscontinuity() {
        long before = edge.fetch().last().sequence();
        // OBS users often end the server URL with '/', and some services append a query to the key
        obs = ObsLikePublisher.start(edge.server + "/", KEY + "?bandwidthtest=false&obs=30", flv);
        HlsProbe.Playlist p = edge.awaitPlaylist(pl -> pl.discontinuities() + pl.discontinuitySequence() >= 1
                && pl.last().sequence() > before + 2);
        assertThat(obs.isRunning()).as(obs.log()).isTrue();
        long previous = -1;
        for (HlsProbe.Segment s : p.segments()) {
            assertThat(s.sequence()).isGreaterThan(previous);
            previous = s.sequence();
        }
        List<HlsProbe.Segment> resumed = p.segments().stream().filter(s -> s.sequence() > before).toList();
        assertThat(resumed.get(0).discontinuity()).as(p.text()).isTrue();
        source.assertCarriedBy(SourcePictures.longestRecent(p), TONE_HZ);
        assertThat(obs.stop(Duration.ofSeconds(10))).as(obs.log()).isEqualTo(ObsLikePublisher.EXIT_OK);
    }

    /**
     * OBS's x264 defaults have no "zerolatency" tune, so B-frames: composition time offsets, and decode order that
     * differs from display order. A 64-pixel strip at the left counts frames in its luma (16 + 4 * frame mod 200); the
     * HLS pictures must come out in display order (each one or, if the edge dropped some, a few steps after the one
     * before, never behind it).
     */
    @Test
    @Order(5)
    void obsDefaultX264WithBFramesComesOutInDisplayOrder() throws Exception {
        Path bframes = GeneratedMedia.generate("obs-like-h264-bframes-aac-640x360-20s.flv",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "color=c=black:s=64x360:r=30,format=yuv420p,geq=lum='16+mod(N*4\\,200)':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=frequency=" + TONE_HZ + ":sample_rate=48000",
                "-filter_complex", "[0:v][1:v]overlay=0:0:shortest=1,format=yuv420p[v]", "-map", "[v]", "-map", "2:a",
                "-t", "20", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "60",
                "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "2500k", "-c:a", "aac", "-b:a", "160k", "-ac", "2",
                "-f", "flv");
        HlsProbe.Region strip = new HlsProbe.Region(0, 0, 0.08, 1);
        HlsProbe.Media original = HlsProbe.decode(Files.readAllBytes(bframes), strip);
        // the check of the check: the source itself counts one step per picture
        assertThat(frameSteps(original.pictures().subList(0, 120))).containsOnly(1);

        long before = edge.fetch().last().sequence();
        obs = ObsLikePublisher.start(edge.server, KEY, bframes);
        HlsProbe.Playlist p = edge.awaitPlaylist(pl -> pl.last().sequence() > before + 2);
        assertThat(obs.isRunning()).as(obs.log()).isTrue();
        HlsProbe.Media played = HlsProbe.decode(HlsProbe.download(p.last().uri()), strip);
        assertThat(played.pictures()).hasSizeGreaterThan(10);
        long previous = Long.MIN_VALUE;
        for (HlsProbe.Picture picture : played.pictures()) {
            assertThat(picture.timestampMicros()).isGreaterThan(previous);
            previous = picture.timestampMicros();
        }
        assertThat(frameSteps(played.pictures())).allSatisfy(step -> assertThat(step).isBetween(1, 10));
        assertThat(obs.stop(Duration.ofSeconds(10))).as(obs.log()).isEqualTo(ObsLikePublisher.EXIT_OK);
    }

    /** Frames between consecutive pictures by the counter strip; -1 where the luma is not on the 4-code grid. */
    private static List<Integer> frameSteps(List<HlsProbe.Picture> pictures) {
        List<Integer> steps = new ArrayList<>();
        for (int i = 1; i < pictures.size(); i++) {
            double delta = Math.floorMod(Math.round((pictures.get(i).regions().get(0).y()
                    - pictures.get(i - 1).regions().get(0).y()) * 10), 2000) / 10.0;
            double frames = delta / 4;
            steps.add(Math.abs(frames - Math.round(frames)) * 4 <= 1.5 ? (int) Math.round(frames) : -1);
        }
        return steps;
    }
}
