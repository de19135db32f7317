package com.streamloom.media.testing;

import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/**
 * Real H.264/AAC {@link MediaPacket}s for tests: {@link #generate} encodes a short test pattern with a tone using the
 * ffmpeg CLI that JavaCV ships, into FLV (so video is AVCC with an avcC record and audio is raw AAC with an
 * AudioSpecificConfig, exactly what RTMP delivers); {@link #read} turns any such file into packets in file order
 * (decode order, video and audio interleaved), config packets first. Also runs ffmpeg/ffprobe for assertions.
 */
public final class PacketsForTests {
    private static final AVRational MICROS = new AVRational().num(1).den(1_000_000);

    private PacketsForTests() {
    }

    /**
     * What to encode.
     *
     * @param seconds          duration
     * @param fps              video frame rate
     * @param keyframeInterval frames between keyframes (fixed GOP, no scene-cut keyframes)
     * @param bFrames          B-frames (0 makes pts equal dts)
     * @param width            picture width
     * @param height           picture height
     */
    public record Source(double seconds, int fps, int keyframeInterval, int bFrames, int width, int height) {
        /** 320x240, 30 fps, a keyframe every second, no B-frames. */
        public static Source small(double seconds) {
            return new Source(seconds, 30, 30, 0, 320, 240);
        }

        public Source withKeyframeInterval(int frames) {
            return new Source(seconds, fps, frames, bFrames, width, height);
        }

        public Source withBFrames(int count) {
            return new Source(seconds, fps, keyframeInterval, count, width, height);
        }
    }

    /** Encodes {@code source} into {@code dir/name.flv} (H.264 ultrafast + AAC 48 kHz stereo) and returns the path. */
    public static Path generate(Path dir, String name, Source source) {
        Path out = dir.resolve(name + ".flv");
        run(ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + source.width() + "x" + source.height() + ":rate=" + source.fps(),
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(source.seconds()),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-g", String.valueOf(source.keyframeInterval()), "-keyint_min", String.valueOf(source.keyframeInterval()),
                "-sc_threshold", "0", "-bf", String.valueOf(source.bFrames()),
                "-c:a", "aac", "-b:a", "64k", "-ac", "2",
                "-f", "flv", out.toString());
        return out;
    }

    /** Reads every packet of an FLV/MP4 file with H.264 and/or AAC: config packets first, then media in file order. */
    public static List<MediaPacket> read(Path file) {
        List<MediaPacket> configs = new ArrayList<>();
        List<MediaPacket> media = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            var format = grabber.getFormatContext();
            for (int i = 0; i < format.nb_streams(); i++) {
                AVCodecParameters par = format.streams(i).codecpar();
                byte[] extradata = extradata(par);
                if (par.codec_type() == AVMEDIA_TYPE_VIDEO && par.codec_id() == AV_CODEC_ID_H264) {
                    configs.add(MediaPacket.videoConfig(MediaPacket.Codec.H264, 0, extradata));
                } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO && par.codec_id() == AV_CODEC_ID_AAC) {
                    configs.add(MediaPacket.audioConfig(0, extradata));
                }
            }
            AVPacket packet;
            while ((packet = grabber.grabPacket()) != null) {
                try {
                    AVStream stream = format.streams(packet.stream_index());
                    int type = stream.codecpar().codec_type();
                    if (packet.size() <= 0 || (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO)) {
                        continue;
                    }
                    long dts = micros(packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts(), stream);
                    long pts = packet.pts() != AV_NOPTS_VALUE ? micros(packet.pts(), stream) : dts;
                    byte[] data = new byte[packet.size()];
                    packet.data().get(data);
                    boolean video = type == AVMEDIA_TYPE_VIDEO;
                    media.add(new MediaPacket(video ? MediaPacket.Track.VIDEO : MediaPacket.Track.AUDIO,
                            video ? MediaPacket.Codec.H264 : MediaPacket.Codec.AAC, pts, dts,
                            !video || (packet.flags() & AV_PKT_FLAG_KEY) != 0, false, data));
                } finally {
                    av_packet_unref(packet);
                }
            }
            grabber.stop();
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        List<MediaPacket> all = new ArrayList<>(configs);
        all.addAll(media);
        return all;
    }

    /** Generates and reads in one step. */
    public static List<MediaPacket> packets(Path dir, String name, Source source) {
        return read(generate(dir, name, source));
    }

    public static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    public static String ffprobe() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** Runs a command; returns its stdout; fails with its stderr if it exits non-zero or takes over 60 s. */
    public static String run(String... command) {
        return exec(command)[0];
    }

    /**
     * Decodes every stream of a media file with the ffmpeg CLI and returns what it reported at level "error"
     * (empty when the file decodes cleanly).
     */
    public static String decodeErrors(Path file) {
        return exec(ffmpeg(), "-hide_banner", "-v", "error", "-i", file.toString(), "-f", "null", "-")[1].strip();
    }

    private static String[] exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(process.getErrorStream(), stderr));
            errReader.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            errReader.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit " + process.exitValue() + " from " + command[0] + ": "
                        + stderr.toString(StandardCharsets.UTF_8));
            }
            return new String[] {stdout, stderr.toString(StandardCharsets.UTF_8)};
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process died; its exit code tells the story
        }
    }

    private static long micros(long timestamp, AVStream stream) {
        return av_rescale_q(timestamp, stream.time_base(), MICROS);
    }

    private static byte[] extradata(AVCodecParameters par) {
        byte[] bytes = new byte[par.extradata_size()];
        if (bytes.length > 0) {
            par.extradata().get(bytes);
        }
        return bytes;
    }
}
