package com.streamloom.media.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A publisher that behaves like OBS or an encoder box: the ffmpeg program encodes a generated picture and tone in
 * real time ({@code -re}) with x264 (veryfast, zerolatency, a keyframe every second) and AAC, and sends it as FLV
 * over RTMP or RTMPS. It either pushes to a server ({@link Builder#publishTo}) or is itself a one-client RTMP
 * server that a pull source connects to ({@link Builder#serveAt}).
 *
 * <p>The picture is testsrc2 or a solid colour, with an optional box and text marker; the audio is a sine tone.
 * {@link Builder#flashAndBeepEvery} instead shows a white frame and starts a 100 ms beep at the same source instant
 * every period, for A/V-sync tests.
 *
 * <pre>{@code
 * try (SyntheticPublisher obs = SyntheticPublisher.builder().colour("red").toneHz(1000)
 *         .publishTo("rtmp://127.0.0.1:" + port + "/live/" + key)) { ... }
 * }</pre>
 */
public final class SyntheticPublisher implements AutoCloseable {
    private static final Pattern SAFE_TEXT = Pattern.compile("[A-Za-z0-9 _.-]{1,64}");
    private static final Pattern SAFE_COLOUR = Pattern.compile("(#|0x)?[A-Za-z0-9]{1,16}(@[0-9.]+)?");
    private static final List<Path> FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"));

    private final FfmpegCli process;
    private final String url;

    private SyntheticPublisher(FfmpegCli process, String url) {
        this.process = process;
        this.url = url;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String url() {
        return url;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Waits for a publisher with a duration to finish; false if it still runs after {@code timeout}. */
    public boolean awaitExit(Duration timeout) {
        return process.waitFor(timeout);
    }

    /** ffmpeg's log, for assertion messages. */
    public String log() {
        return process.stderr();
    }

    /** Stops publishing (the RTMP connection closes, as when OBS stops streaming). */
    @Override
    public void close() {
        process.close();
    }

    public static final class Builder {
        private int width = 320;
        private int height = 240;
        private int fps = 30;
        private String colour;
        private String text;
        private int[] box;
        private String boxColour;
        private double toneHz = 440;
        private Duration duration;
        private Duration flashPeriod;
        private int videoKbps = 600;

        private Builder() {
        }

        public Builder size(int width, int height) {
            if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) {
                throw new IllegalArgumentException("size must be positive and even, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder fps(int fps) {
            if (fps <= 0 || fps > 120) {
                throw new IllegalArgumentException("fps must be 1..120");
            }
            this.fps = fps;
            return this;
        }

        /** A solid colour (an FFmpeg colour name or 0xRRGGBB) instead of the moving testsrc2 pattern. */
        public Builder colour(String colour) {
            this.colour = checkColour(colour);
            return this;
        }

        /** A text marker in the top-left corner (letters, digits, space, _ . - only). */
        public Builder text(String text) {
            if (!SAFE_TEXT.matcher(text).matches()) {
                throw new IllegalArgumentException("marker text must match " + SAFE_TEXT);
            }
            this.text = text;
            return this;
        }

        /** A filled box marker, e.g. to check that a crop or flip moved it. */
        public Builder box(int x, int y, int w, int h, String colour) {
            this.box = new int[] {x, y, w, h};
            this.boxColour = checkColour(colour);
            return this;
        }

        /** Frequency of the sine tone; 0 publishes video only. */
        public Builder toneHz(double hz) {
            if (hz < 0 || hz > 20_000) {
                throw new IllegalArgumentException("tone must be 0..20000 Hz");
            }
            this.toneHz = hz;
            return this;
        }

        /** Stops by itself after this much media; by default it runs until closed. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder videoKbps(int kbps) {
            this.videoKbps = kbps;
            return this;
        }

        /**
         * Every {@code period} (a whole number of frames) one frame is white and a 100 ms beep at the tone frequency
         * (1 kHz if none was set) starts at the same source time; the rest is the base colour (black by default)
         * and silence. The first flash is at time 0.
         */
        public Builder flashAndBeepEvery(Duration period) {
            long frames = period.toNanos() * fps / 1_000_000_000L;
            if (frames <= 0 || frames * 1_000_000_000L != period.toNanos() * fps) {
                throw new IllegalArgumentException("the flash period must be a whole number of frames at " + fps
                        + " fps (set fps first)");
            }
            this.flashPeriod = period;
            return this;
        }

        /** Pushes to an RTMP server (rtmps:// for RTMP inside TLS), like OBS does. */
        public SyntheticPublisher publishTo(String rtmpUrl) {
            return launch(rtmpUrl, false);
        }

        /**
         * Serves the stream as a one-client RTMP server on {@code rtmp://127.0.0.1:port/app/name}: encoding starts
         * when a client connects and plays (a stand-in for an RTMP origin that the edge pulls from).
         */
        public SyntheticPublisher serveAt(String rtmpUrl) {
            return launch(rtmpUrl, true);
        }

        private SyntheticPublisher launch(String url, boolean listen) {
            if (!url.startsWith("rtmp://") && !(url.startsWith("rtmps://") && !listen)) {
                throw new IllegalArgumentException("an rtmp:// URL (or rtmps:// to publish to) is needed, got "
                        + url);
            }
            List<String> args = new ArrayList<>(List.of("-loglevel", "warning", "-re", "-f", "lavfi", "-i",
                    videoGraph()));
            boolean audio = toneHz > 0 || flashPeriod != null;
            if (audio) {
                args.addAll(List.of("-re", "-f", "lavfi", "-i", audioGraph()));
            }
            if (duration != null) {
                args.addAll(List.of("-t", seconds(duration)));
            }
            args.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                    "-g", Integer.toString(fps), "-keyint_min", Integer.toString(fps), "-sc_threshold", "0",
                    "-pix_fmt", "yuv420p", "-b:v", videoKbps + "k"));
            if (audio) {
                args.addAll(List.of("-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "1"));
            }
            args.addAll(List.of("-f", "flv"));
            if (listen) {
                args.addAll(List.of("-listen", "1"));
            }
            args.add(url);
            return new SyntheticPublisher(FfmpegCli.start(args), url);
        }

        private String videoGraph() {
            String size = width + "x" + height;
            StringBuilder g = new StringBuilder();
            if (flashPeriod != null) {
                g.append("color=c=").append(colour == null ? "black" : colour).append(":s=").append(size)
                        .append(":r=").append(fps);
            } else if (colour != null) {
                g.append("color=c=").append(colour).append(":s=").append(size).append(":r=").append(fps);
            } else {
                g.append("testsrc2=s=").append(size).append(":r=").append(fps);
            }
            if (box != null) {
                g.append(String.format(Locale.ROOT, ",drawbox=x=%d:y=%d:w=%d:h=%d:color=%s:t=fill",
                        box[0], box[1], box[2], box[3], boxColour));
            }
            if (text != null) {
                g.append(",drawtext=fontfile=").append(font()).append(":text='").append(text)
                        .append("':fontsize=").append(Math.max(12, height / 12))
                        .append(":fontcolor=white:box=1:boxcolor=black@0.6:x=8:y=8");
            }
            if (flashPeriod != null) {
                long frames = flashPeriod.toNanos() * fps / 1_000_000_000L;
                // Timeline expression on the frame number n: exactly one white frame at n = 0, P, 2P, ...
                g.append(",drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='eq(mod(n,")
                        .append(frames).append("),0)'");
            }
            return g.toString();
        }

        private String audioGraph() {
            double hz = toneHz > 0 ? toneHz : 1000;
            if (flashPeriod != null) {
                // t is the exact sample time, so the beep starts at the same source instant as the white frame.
                return String.format(Locale.ROOT,
                        "aevalsrc=exprs='if(lt(mod(t,%s),0.1),0.8*sin(2*PI*%s*t),0)':sample_rate=48000"
                                + ":channel_layout=mono", seconds(flashPeriod), hz);
            }
            return String.format(Locale.ROOT, "sine=frequency=%s:sample_rate=48000", hz);
        }

        private static String seconds(Duration d) {
            return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
        }

        private static String checkColour(String colour) {
            if (!SAFE_COLOUR.matcher(colour).matches()) {
                throw new IllegalArgumentException("colour must be an FFmpeg colour name or 0xRRGGBB, got " + colour);
            }
            return colour;
        }

        private static String font() {
            return FONTS.stream().filter(Files::isReadable).findFirst().map(Path::toString)
                    .orElseThrow(() -> new IllegalStateException("no font for the text marker; install the Debian "
                            + "package fonts-dejavu-core or fonts-wqy-zenhei"));
        }
    }
}
