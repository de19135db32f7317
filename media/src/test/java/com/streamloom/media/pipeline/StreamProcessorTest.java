package com.streamloom.media.pipeline;

import com.streamloom.media.testing.MediaFileReader;
import com.streamloom.media.codec.KeyframePolicy;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.CollectingSink;
import com.streamloom.media.testing.GeneratedMedia;
import com.streamloom.media.testing.PaintLumaStage;
import com.streamloom.spec.EncodingSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pipeline: threads and metrics, live stage changes, A/V sync and publisher reconnects, on real FFmpeg with generated media. */
class StreamProcessorTest {
    private static final EncodingSpec FAST_COPY = new EncodingSpec("ultrafast", 800, 0, "copy");

    private static List<MediaPacket> pattern() {
        return MediaFileReader.read(GeneratedMedia.testPattern(320, 240, 30, 2), 0);
    }

    private static void awaitDrained(StreamProcessor p, CollectingSink sink, int ends) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.ends.size() >= ends && p.isIdle());
    }

    @Test
    void liveStageSwapChangesOutputWithoutLosingAFrame() {
        List<MediaPacket> source = pattern();
        int half = indexOfVideoPacket(source, 30);
        CollectingSink sink = new CollectingSink();
        PaintLumaStage dark = new PaintLumaStage("dark", 40);
        PaintLumaStage bright = new PaintLumaStage("bright", 210);
        try (StreamProcessor p = StreamProcessor.builder("swap").encoding(FAST_COPY).stages(List.of(dark))
                .keyframes(KeyframePolicy.none()).output(sink).blockWhenFull(true).build().start()) {
            source.subList(0, half).forEach(p::accept);
            // The first half is decoded except what the B-frame reorder delay holds back.
            await().atMost(Duration.ofSeconds(20)).until(() -> dark.seenPts.size() >= 25 && p.isIdle());
            int darkBeforeSwap = dark.seenPts.size();
            p.updateStages(List.of(bright));
            source.subList(half, source.size()).forEach(p::accept);
            p.end("test over");
            awaitDrained(p, sink, 1);
            assertThat(dark.closedOnThread).isEqualTo("stream-swap");
            assertThat(dark.seenPts).hasSize(darkBeforeSwap);
            assertThat(p.stages()).containsExactly(bright);
        }
        List<CollectingSink.Picture> pictures = sink.decodeVideo();
        // Every one of the 60 source pictures is in the output exactly once, in order.
        List<Long> sourcePts = source.stream().filter(MediaPacket::isVideo).filter(x -> !x.config())
                .map(MediaPacket::ptsMicros).sorted().toList();
        assertThat(pictures.stream().map(CollectingSink.Picture::ptsMicros).toList()).containsExactlyElementsOf(sourcePts);
        // Dark pictures first, then bright ones, switching once: the stage list changed between two frames.
        List<Boolean> isBright = pictures.stream().map(x -> x.meanLuma() > 128).toList();
        int firstBright = isBright.indexOf(true);
        assertThat(firstBright).isBetween(25, 35);
        assertThat(isBright.subList(0, firstBright)).containsOnly(false);
        assertThat(isBright.subList(firstBright, isBright.size())).containsOnly(true);
        assertThat(pictures.get(0).meanLuma()).isCloseTo(40, org.assertj.core.data.Offset.offset(4.0));
        assertThat(pictures.get(59).meanLuma()).isCloseTo(210, org.assertj.core.data.Offset.offset(4.0));
        assertThat(dark.seenPts.size() + bright.seenPts.size()).isEqualTo(60);
    }

    @Test
    void flashAndBeepStayWithinOneFrameThroughDecodeStageEncodeWithAudioCopy() {
        assertFlashAndBeepInSync("copy");
    }

    @Test
    void flashAndBeepStayWithinOneFrameWithAudioReencoded() {
        assertFlashAndBeepInSync("aac");
    }

    private void assertFlashAndBeepInSync(String audioMode) {
        List<MediaPacket> source = MediaFileReader.read(GeneratedMedia.flashAndBeep(), 0);
        CollectingSink sink = new CollectingSink();
        // A stage that touches pixels (a 32x32 black corner) so the frames really go through one.
        try (StreamProcessor p = StreamProcessor.builder("sync")
                .encoding(new EncodingSpec("ultrafast", 800, 0, audioMode))
                .stages(List.of(new PaintLumaStage("corner", 0, 32, 32, 0)))
                .output(sink).blockWhenFull(true).build().start()) {
            source.forEach(p::accept);
            p.end("done");
            awaitDrained(p, sink, 1);
        }
        List<CollectingSink.Picture> pictures = sink.decodeVideo();
        long flash = pictures.stream().filter(x -> x.meanLuma() > 128).findFirst().orElseThrow().ptsMicros();
        long beep = sink.firstLoudSampleMicros(0.05f);
        assertThat(beep).isNotEqualTo(Long.MIN_VALUE);
        // Both start at 1 s in the source; in the output they are at most one frame period (33 ms) apart.
        assertThat(Math.abs(flash - beep)).as("flash at %d us, beep at %d us", flash, beep).isLessThanOrEqualTo(33_333);
        assertThat(flash).isBetween(990_000L, 1_010_000L);
        // Output is interleaved by time: audio never runs more than the hold limit ahead of emitted video.
        assertThat(sink.audio()).isNotEmpty();
        if (audioMode.equals("copy")) {
            List<byte[]> in = source.stream().filter(MediaPacket::isAudio).filter(x -> !x.config()).map(MediaPacket::data).toList();
            assertThat(sink.audio()).hasSize(in.size());
            for (int i = 0; i < in.size(); i++) {
                assertThat(sink.audio().get(i).data()).isEqualTo(in.get(i));     // untouched
            }
        }
    }

    @Test
    void newPublisherContinuesTheSameOutputWithMonotonicTimestampsAndAKeyframe() {
        List<MediaPacket> source = pattern();
        CollectingSink sink = new CollectingSink();
        try (StreamProcessor p = StreamProcessor.builder("again").encoding(FAST_COPY).output(sink)
                .blockWhenFull(true).build().start()) {
            source.forEach(p::accept);
            p.end("publisher disconnected");
            awaitDrained(p, sink, 1);
            int firstPart = sink.video().size();
            source.forEach(p::accept);                 // the same publisher again: its clock starts at 0 again
            p.end("publisher disconnected");
            awaitDrained(p, sink, 2);
            assertThat(firstPart).isEqualTo(60);
            assertThat(p.discontinuities()).isEqualTo(2);
        }
        List<MediaPacket> video = sink.video();
        assertThat(video).hasSize(120);
        for (int i = 1; i < video.size(); i++) {
            assertThat(video.get(i).dtsMicros()).isGreaterThan(video.get(i - 1).dtsMicros());
        }
        assertThat(video.get(60).keyframe()).isTrue();
        // The gap between the two sources is one frame: the output clock continues.
        assertThat(video.get(60).ptsMicros() - video.get(59).ptsMicros()).isBetween(30_000L, 70_000L);
        List<MediaPacket> audio = sink.audio();
        for (int i = 1; i < audio.size(); i++) {
            assertThat(audio.get(i).dtsMicros()).isGreaterThan(audio.get(i - 1).dtsMicros());
        }
        assertThat(sink.ends).containsExactly("publisher disconnected", "publisher disconnected");
    }

    @Test
    void slowStageMakesTheQueueDropAndCountButNeverGrow() throws InterruptedException {
        // Keyframes every 5 frames, so decoding can resume soon after a drop.
        List<MediaPacket> source = MediaFileReader.read(GeneratedMedia.testPattern(320, 240, 30, 2, 5), 0);
        CollectingSink sink = new CollectingSink();
        PaintLumaStage slow = new PaintLumaStage("slow", 90, 16, 16, 12);
        int maxDepth = 0;
        try (StreamProcessor p = StreamProcessor.builder("slow").encoding(FAST_COPY).stages(List.of(slow))
                .queueCapacity(16).output(sink).build().start()) {
            for (MediaPacket m : source) {             // a live source delivering ~4x faster than the stage copes
                p.accept(m);
                maxDepth = Math.max(maxDepth, p.queueDepth());
                Thread.sleep(m.isVideo() ? 3 : 0);
            }
            p.end("done");
            awaitDrained(p, sink, 1);
            // The stages have a thread of their own: the decoder keeps up, and the hand-off to the stages drops
            // (and counts) its oldest decoded frames instead of letting them pile up.
            assertThat(p.framesDroppedBeforeStages()).isPositive();
            assertThat(maxDepth).isLessThanOrEqualTo(16);
            assertThat(p.stageQueueDepth()).isZero();
            assertThat(p.processingErrors()).isZero();
            // Every decoded frame was either dropped before the stages or went through them and was encoded.
            assertThat(p.framesEncoded() + p.framesDroppedBeforeStages() + p.framesDroppedBeforeEncode())
                    .isEqualTo(p.framesDecoded());
            assertThat(slow.seenPts).hasSize((int) (p.framesEncoded() + p.framesDroppedBeforeEncode()));
        }
        // What did come out is clean H.264 that decodes without errors.
        assertThat(sink.video()).isNotEmpty();
        assertThat(sink.decodeVideo()).hasSize(sink.video().size());
    }

    @Test
    void fullInputQueueDropsAndCountsAndVideoWaitsForAKeyframe() throws InterruptedException {
        List<MediaPacket> source = MediaFileReader.read(GeneratedMedia.testPattern(320, 240, 30, 2, 5), 0);
        CollectingSink sink = new CollectingSink();
        int maxDepth = 0;
        try (StreamProcessor p = StreamProcessor.builder("burst").encoding(FAST_COPY).queueCapacity(2).output(sink)
                .build().start()) {
            for (int i = 0; i < source.size(); i++) {
                p.accept(source.get(i));
                maxDepth = Math.max(maxDepth, p.queueDepth());
                // Bursts of 12 packets far faster than decoding, then 12 at a pace it keeps up with (each slow
                // phase holds a keyframe, every 5 frames, so decoding can resume).
                if (i / 12 % 2 == 1) {
                    Thread.sleep(15);
                }
            }
            p.end("done");
            awaitDrained(p, sink, 1);
            assertThat(p.queueDrops()).isPositive();
            assertThat(maxDepth).isLessThanOrEqualTo(2);
            assertThat(p.processingErrors()).isZero();
            // After a drop, video waits for a keyframe instead of decoding garbage.
            assertThat(p.videoPacketsSkipped()).isPositive();
            assertThat(p.corruptPackets()).isZero();
        }
        assertThat(sink.video()).isNotEmpty();
        assertThat(sink.decodeVideo()).hasSize(sink.video().size());
    }

    @Test
    void garbageFromOnePublisherIsCountedAndTheNextPublisherStillWorks() {
        java.util.Random random = new java.util.Random(7);
        CollectingSink sink = new CollectingSink();
        try (StreamProcessor p = StreamProcessor.builder("garbage").encoding(new EncodingSpec("ultrafast", 800, 0, "aac"))
                .output(sink).blockWhenFull(true).build().start()) {
            // A broken publisher: random config records and random media, video and audio.
            for (int i = 0; i < 40; i++) {
                byte[] junk = new byte[1 + random.nextInt(600)];
                random.nextBytes(junk);
                boolean config = i < 2;           // a junk avcC and a junk AudioSpecificConfig first
                p.accept(new MediaPacket(i % 2 == 0 ? MediaPacket.Track.VIDEO : MediaPacket.Track.AUDIO,
                        i % 2 == 0 ? MediaPacket.Codec.H264 : MediaPacket.Codec.AAC, i * 33_333L, i * 33_333L,
                        true, config, junk));
            }
            p.end("bad publisher gone");
            awaitDrained(p, sink, 1);
            assertThat(p.corruptPackets()).isPositive();
            // Then a good one on the same stream.
            pattern().forEach(p::accept);
            p.end("done");
            awaitDrained(p, sink, 2);
            assertThat(p.processingErrors()).isZero();
        }
        assertThat(sink.video()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(sink.decodeVideo()).extracting(CollectingSink.Picture::width).contains(320);
    }

    private static int indexOfVideoPacket(List<MediaPacket> packets, int n) {
        int seen = 0;
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).isVideo() && !packets.get(i).config() && seen++ == n) {
                return i;
            }
        }
        throw new IllegalArgumentException("fewer than " + n + " video packets");
    }
}
