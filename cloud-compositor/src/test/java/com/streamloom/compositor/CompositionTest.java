package com.streamloom.compositor;

import com.streamloom.compositor.audio.AudioProbe;
import com.streamloom.compositor.testing.TestCards;
import com.streamloom.compositor.align.InputClock;
import com.streamloom.compositor.layout.Box;
import com.streamloom.compositor.render.YuvColor;
import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.spec.CompositionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The composition end to end except H.264: packets into the input sinks, alignment on a fake clock, the output clock
 * driven tick by tick, colours checked on every rendered canvas.
 */
class CompositionTest {
    static final long T0 = 1_700_000_000_000_000L;
    static final int RED = 0xDC1E1E, BLUE = 0x1E28DC, GREEN = 0x1EC828;

    private final SettableClock clock = SettableClock.atMicros(T0);
    private final List<Long> videoPts = new ArrayList<>();
    private final List<MediaPacket> audio = new CopyOnWriteArrayList<>();
    private VideoFrame lastCanvas;
    private Composition composition;

    @AfterEach
    void close() {
        if (lastCanvas != null) lastCanvas.close();
        if (composition != null) composition.close();
    }

    private Composition start(CompositionSpec spec, Clock c) {
        composition = new Composition(spec, c, SolidColourDecoding::new, canvas -> {
            synchronized (videoPts) {
                videoPts.add(canvas.ptsMicros());
                if (lastCanvas != null) lastCanvas.close();
                lastCanvas = canvas.copy();
            }
        }, new MediaSink() {
            @Override
            public void accept(MediaPacket packet) {
                audio.add(packet);
            }
        });
        return composition;
    }

    static CompositionSpec.Input input(String stream, int jitterMs, int holdMs) {
        return new CompositionSpec.Input(stream, null, null, null, null, holdMs, jitterMs);
    }

    static CompositionSpec spec(List<CompositionSpec.Input> inputs, CompositionSpec.Layout layout) {
        return new CompositionSpec("studio", new CompositionSpec.Canvas(320, 180, 30, "#000000"), inputs, layout,
                null, null);
    }

    /** Moves the clock to output tick n's time, delivers frames, waits for the workers to decode them, renders. */
    private void tickWith(long n, List<Feed> feeds) {
        clock.setMicros(T0 + n * composition.frameMicros());
        for (Feed f : feeds) {
            long before = composition.stats().inputs().get(f.stream).video().received();
            composition.sinkFor(f.stream).accept(SolidColourDecoding.packet(f.w, f.h, f.rgb, f.basePts + n * 33_333));
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> composition.stats().inputs().get(f.stream).video().received() > before);
        }
        composition.tick();
    }

    record Feed(String stream, int w, int h, int rgb, long basePts) {
    }

    private YuvColor at(int x, int y) {
        synchronized (videoPts) {
            return TestCards.sample(lastCanvas, x, y);
        }
    }

    static boolean near(YuvColor got, int rgb) {
        YuvColor want = YuvColor.rgb(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
        return Math.abs(got.y() - want.y()) <= 3 && Math.abs(got.u() - want.u()) <= 3 && Math.abs(got.v() - want.v()) <= 3;
    }

    static boolean isSlate(YuvColor got) {
        YuvColor grey = YuvColor.SLATE_GREY;
        return Math.abs(got.y() - grey.y()) <= 3 && Math.abs(got.u() - 128) <= 3;
    }

    @Test
    void gridShowsEachInputThenSlateWhenOneStopsThenItComesBack() {
        start(spec(List.of(input("a", 50, 300), input("b", 50, 300)), null), clock);
        // Inputs on their own clocks and sizes: a is 320x180 from pts 0, b is 160x90 from pts 7 s.
        Feed a = new Feed("a", 320, 180, RED, 0), b = new Feed("b", 160, 90, BLUE, 7_000_000);
        for (long n = 0; n < 6; n++) tickWith(n, List.of(a, b));
        // Grid of two: a on the left half (80, 90), b on the right (240, 90).
        assertThat(near(at(80, 90), RED)).as("left %s", at(80, 90)).isTrue();
        assertThat(near(at(240, 90), BLUE)).as("right %s", at(240, 90)).isTrue();

        // b stops. It holds its last picture for 300 ms (plus one frame interval), then shows the slate.
        long stoppedAt = 6;
        long slateTick = -1;
        for (long n = stoppedAt; n < stoppedAt + 30 && slateTick < 0; n++) {
            tickWith(n, List.of(a));
            if (isSlate(at(240, 90))) slateTick = n;
            else assertThat(near(at(240, 90), BLUE)).isTrue();
        }
        long slateAfterMs = (slateTick - stoppedAt) * 33;
        assertThat(slateAfterMs).as("slate after %d ms", slateAfterMs).isBetween(300L, 300L + 50 + 100);
        assertThat(near(at(80, 90), RED)).isTrue();

        // b's publisher comes back with timestamps from 0: it reappears after its jitter delay, no output restart.
        composition.sinkFor("b").end("publisher left");
        Feed b2 = new Feed("b", 160, 90, BLUE, -(slateTick + 5) * 33_333);
        long back = slateTick + 5;
        for (long n = back; n < back + 4; n++) tickWith(n, List.of(a, b2));
        assertThat(near(at(240, 90), BLUE)).as("right %s", at(240, 90)).isTrue();

        // The output clock never stopped: one canvas per tick, pts 33.333 ms apart.
        for (int i = 0; i < videoPts.size(); i++) assertThat(videoPts.get(i)).isEqualTo(i * 33_333L);
        assertThat(composition.stats().inputs().get("b").video().late()).isZero();
    }

    @Test
    void inputsAndLayoutChangeWhileTheOutputRuns() {
        start(spec(List.of(input("a", 0, 1000)), null), clock);
        Feed a = new Feed("a", 320, 180, RED, 0);
        for (long n = 0; n < 3; n++) tickWith(n, List.of(a));
        assertThat(near(at(300, 170), RED)).isTrue();

        // Live: add b and c, switch to picture-in-picture in the bottom-right corner.
        composition.update(spec(List.of(input("a", 0, 1000), input("b", 0, 1000), input("c", 0, 1000)),
                new CompositionSpec.Layout("pip", "bottom-right", 0.25, null)));
        Feed b = new Feed("b", 160, 90, GREEN, 0), c = new Feed("c", 160, 90, BLUE, 0);
        long changedAt = 3, visibleAt = -1;
        for (long n = changedAt; n < changedAt + 30 && visibleAt < 0; n++) {
            tickWith(n, List.of(a, b, c));
            // Inset 1 sits 4 px from the bottom-right corner, 80x44; inset 2 above it.
            if (near(at(276, 154), GREEN) && near(at(276, 106), BLUE)) visibleAt = n;
        }
        assertThat(visibleAt).as("insets visible").isGreaterThanOrEqualTo(changedAt);
        assertThat((visibleAt - changedAt) * 33).as("visible within one second").isLessThan(1000);
        assertThat(near(at(40, 40), RED)).isTrue();
        // Each input's worker shrinks its pictures to the cell it is drawn in, so the renderer only copies them:
        // a fills the canvas (320x180 in, nothing to shrink), b's 160x90 become the inset's 78x44 from the first
        // picture decoded after the tick that applied the layout (before it, the renderer scaled them).
        tickWith(visibleAt + 1, List.of(a, b, c));
        assertThat(composition.input("a").scaler().target()).isEqualTo(new Box(0, 0, 320, 180));
        Box inset = composition.input("b").scaler().target();
        assertThat(inset.x()).isGreaterThan(160);
        assertThat(pictureSize("a")).containsExactly(320, 180);
        assertThat(pictureSize("b")).containsExactly(inset.fit(160, 90).width(), inset.fit(160, 90).height());
        assertThat(pictureSize("b")[0]).isLessThan(160);

        // Remove b: its inset goes, c moves into the corner, b's packets are ignored from now on.
        composition.update(spec(List.of(input("a", 0, 1000), input("c", 0, 1000)),
                new CompositionSpec.Layout("pip", "bottom-right", 0.25, null)));
        tickWith(visibleAt + 2, List.of(a, c));
        assertThat(composition.hasInput("b")).isFalse();
        assertThat(near(at(276, 154), BLUE)).as("c in the corner: %s", at(276, 154)).isTrue();
        assertThat(near(at(276, 106), RED)).isTrue();
        composition.sinkFor("b").accept(SolidColourDecoding.packet(160, 90, GREEN, 0));
        for (int i = 0; i < videoPts.size(); i++) assertThat(videoPts.get(i)).isEqualTo(i * 33_333L);
        // c took b's corner, and its pictures follow from the next one on.
        assertThat(composition.input("c").scaler().target()).isEqualTo(inset);
    }

    /** Width and height of the picture an input shows at the current time (the output thread's view). */
    private int[] pictureSize(String stream) {
        VideoFrame f = composition.input(stream).track().pictureAt(InputClock.micros(clock)).frame();
        return new int[]{f.width(), f.height()};
    }

    @Test
    void canvasSizeCannotChangeLive() {
        start(spec(List.of(input("a", 0, 1000)), null), clock);
        CompositionSpec bigger = new CompositionSpec("studio", new CompositionSpec.Canvas(640, 360, 30, null),
                List.of(input("a", 0, 1000)), null, null, null);
        assertThatThrownBy(() -> composition.update(bigger)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("canvas size and fps cannot change");
    }

    @Test
    void undecodablePacketsAreCountedAndTheInputRecovers() {
        start(spec(List.of(input("a", 0, 1000)), null), clock);
        composition.sinkFor("a").accept(new MediaPacket(MediaPacket.Track.VIDEO, MediaPacket.Codec.H264, 0, 0, true,
                false, new byte[]{1, 2}));
        await().atMost(Duration.ofSeconds(5)).until(() -> composition.stats().inputs().get("a").decodeErrors() == 1);
        tickWith(0, List.of(new Feed("a", 320, 180, GREEN, 0)));
        assertThat(near(at(160, 90), GREEN)).isTrue();
    }

    @Test
    void audioOfTheInputsIsMixedIntoTheOutputAudio() {
        start(new CompositionSpec("studio", new CompositionSpec.Canvas(320, 180, 30, null),
                List.of(input("a", 100, 1000), input("b", 100, 1000)), null, null, null), clock);
        List<MediaPacket> toneA = AudioProbe.tone(440, 48_000, 2, 1.2), toneB = AudioProbe.tone(1000, 48_000, 2, 1.2);
        int ia = 0, ib = 0;
        for (long n = 0; n < 36; n++) {
            long now = n * composition.frameMicros();
            clock.setMicros(T0 + now);
            int sentA = 0, sentB = 0;
            while (ia < toneA.size() && toneA.get(ia).ptsMicros() <= now) {
                composition.sinkFor("a").accept(toneA.get(ia++));
                sentA++;
            }
            while (ib < toneB.size() && toneB.get(ib).ptsMicros() <= now) {
                composition.sinkFor("b").accept(toneB.get(ib++));
                sentB++;
            }
            // The workers decode in the background; give them the packets of this tick before the output mixes.
            awaitAudioDecoded(sentA + sentB);
            composition.tick();
        }
        float[] out = AudioProbe.decode(audio);
        double p440 = AudioProbe.power(out, 440, 0.4, 1.1), p1000 = AudioProbe.power(out, 1000, 0.4, 1.1);
        double off = AudioProbe.power(out, 700, 0.4, 1.1);
        assertThat(p440).isGreaterThan(100 * off);
        assertThat(p1000).isGreaterThan(100 * off);
        assertThat(composition.stats().audio().lateSamples()).isZero();
    }

    private void awaitAudioDecoded(int sent) {
        if (sent == 0) return;
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
                .until(() -> composition.pendingPackets() == 0);
    }

    @Test
    void outputThreadKeepsTheFrameRateOnTheRealClockAndMixesAudio() throws Exception {
        start(spec(List.of(input("a", 0, 1000)), null), Clock.systemUTC());
        composition.start();
        Thread.sleep(700);
        Composition.Stats stats = composition.stats();
        composition.close();
        // 700 ms at 30 fps is 21 frames; on a loaded machine a few may be skipped, but never more are made.
        assertThat(stats.ticks() + stats.skippedTicks()).isBetween(19L, 23L);
        assertThat(stats.ticks()).isGreaterThanOrEqualTo(12L);
        assertThat(audio.get(0).config()).isTrue();
        // Audio follows the output clock even with no audio input: silence, 1024 samples per packet at 48 kHz.
        long samples = (audio.size() - 1) * 1024L;
        assertThat(samples).isBetween(48_000L * 400 / 1000, 48_000L * 750 / 1000);
    }
}
