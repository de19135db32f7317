package com.streamloom.media.testing;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Generates small test media with the ffmpeg program that JavaCV ships (same FFmpeg build as the library), from
 * lavfi sources, into {@code target/generated-media}. Files are cached by name within one build.
 */
public final class GeneratedMedia {
    private static final Path DIR = Path.of("target", "generated-media");

    private GeneratedMedia() {
    }

    /** The path of JavaCV's ffmpeg executable. */
    public static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    /**
     * Runs {@code ffmpeg -y <args> <DIR/name>} unless the file exists, and returns the output path.
     */
    public static Path generate(String name, String... args) {
        try {
            Files.createDirectories(DIR);
            Path out = DIR.resolve(name).toAbsolutePath();
            if (Files.exists(out)) {
                return out;
            }
            Path tmp = DIR.resolve("tmp-" + name).toAbsolutePath();
            List<String> cmd = new ArrayList<>();
            cmd.add(ffmpeg());
            cmd.add("-hide_banner");
            cmd.add("-loglevel");
            cmd.add("error");
            cmd.add("-y");
            cmd.addAll(List.of(args));
            cmd.add(tmp.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + String.join(" ", cmd) + "\n" + log);
            }
            Files.move(tmp, out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * testsrc2 video (moving, detailed) with a 440 Hz tone, H.264 with B-frames (so decode order differs from
     * presentation order) and AAC, in MP4.
     */
    public static Path testPattern(int width, int height, int fps, double seconds) {
        return testPattern(width, height, fps, seconds, fps);
    }

    /** As {@link #testPattern(int, int, int, double)} with a keyframe every {@code gop} frames. */
    public static Path testPattern(int width, int height, int fps, double seconds, int gop) {
        String name = "testsrc-" + width + "x" + height + "-" + fps + "-" + seconds + "-g" + gop + ".mp4";
        return generate(name,
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", String.valueOf(gop), "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-ac", "2");
    }

    /**
     * A dark grey picture that turns white for 0.1 s at t = 1 s and a 1 kHz beep that sounds for the same 0.1 s,
     * 30 fps, for A/V sync tests.
     */
    public static Path flashAndBeep() {
        return generate("flash-beep.mp4",
                "-f", "lavfi", "-i", "color=c=0x202020:size=320x240:rate=30,"
                        + "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='between(t,1,1.1)'",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000,volume='between(t,1,1.1)':eval=frame",
                "-t", "2",
                "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-ac", "1");
    }
}
