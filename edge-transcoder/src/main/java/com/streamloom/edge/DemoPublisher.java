package com.streamloom.edge;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * A synthetic publisher for {@code up.sh --demo}: FFmpeg's test pattern with a running clock and a quiet tone,
 * published over RTMP in real time exactly as OBS would (H.264 + AAC in FLV), so there is something to watch
 * without a camera. Reconnects with back-off if the edge goes away.
 *
 * <pre>java -cp edge-transcoder.jar com.streamloom.edge.DemoPublisher rtmp://127.0.0.1:1935/live KEY_FILE [WxH] [fps]</pre>
 * The stream key is read from a file (mode 0600 in up.sh), never taken on the command line, where {@code ps} would
 * show it to every user of the machine.
 */
public final class DemoPublisher {
    private DemoPublisher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DemoPublisher rtmp://host:port/app KEY_FILE [1280x720] [30]");
            System.exit(2);
        }
        String key = java.nio.file.Files.readString(java.nio.file.Path.of(args[1])).trim();
        String url = args[0].replaceAll("/+$", "") + "/" + key;
        String size = args.length > 2 ? args[2] : "1280x720";
        int fps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        long backoffMs = 500;
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.currentTimeMillis();
            try {
                publish(url, size, fps);
            } catch (Exception e) {
                // FFmpeg's messages can name the URL, which holds the key: say only that it failed.
                System.err.println("publish failed (" + e.getClass().getSimpleName() + "); retrying in " + backoffMs
                        + " ms");
            }
            backoffMs = System.currentTimeMillis() - started > 10_000 ? 500 : Math.min(backoffMs * 2, 10_000);
            Thread.sleep(backoffMs);
        }
    }

    static void publish(String url, String size, int fps) throws Exception {
        String graph = "testsrc2=size=" + size + ":rate=" + fps + "[out0];sine=frequency=440:sample_rate=48000,volume=0.2[out1]";
        String[] wh = size.split("x");
        try (FFmpegFrameGrabber source = new FFmpegFrameGrabber(graph)) {
            source.setFormat("lavfi");
            source.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(url, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), 2)) {
                out.setFormat("flv");
                out.setFrameRate(fps);
                out.setGopSize(fps);
                out.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                out.setVideoOption("preset", "veryfast");
                out.setVideoOption("tune", "zerolatency");
                out.setVideoBitrate(2_500_000);
                out.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                out.setSampleRate(48_000);
                out.setAudioBitrate(128_000);
                out.start();
                long t0 = System.nanoTime();
                Frame f;
                while ((f = source.grab()) != null) {
                    long dueMicros = f.timestamp;
                    long aheadMicros = dueMicros - (System.nanoTime() - t0) / 1000;
                    if (aheadMicros > 1000) {
                        Thread.sleep(aheadMicros / 1000);
                    }
                    out.setTimestamp(f.timestamp);
                    out.record(f);
                }
            }
        }
    }
}
