package com.streamloom.media.testing;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;

/**
 * What a player sees: fetches an HLS media playlist over HTTP, parses it (RFC 8216 4.3), downloads segments and
 * decodes them with FFmpeg so a test can check pixels (mean Y/U/V of regions) and sound (level, tone, onsets).
 *
 * <pre>{@code
 * HlsProbe.Playlist pl = HlsProbe.fetchPlaylist(URI.create("http://127.0.0.1:8081/hls/cam/index.m3u8"));
 * HlsProbe.Media media = HlsProbe.decode(HlsProbe.download(pl.segments().get(0).uri()), HlsProbe.Region.FULL);
 * assertThat(media.pictures().get(0).regions().get(0).u()).isCloseTo(128, within(2.0));
 * }</pre>
 */
public final class HlsProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private HlsProbe() {
    }

    /** One media segment of a playlist. */
    public record Segment(URI uri, double durationSeconds, long sequence, boolean discontinuity,
                          String programDateTime) {
    }

    /** A parsed media playlist; {@code text} is the playlist as served. */
    public record Playlist(URI uri, double targetDuration, long mediaSequence, long discontinuitySequence,
                           boolean endList, List<Segment> segments, String text) {
        public long discontinuities() {
            return segments.stream().filter(Segment::discontinuity).count();
        }

        public Segment last() {
            if (segments.isEmpty()) {
                throw new IllegalStateException("the playlist has no segments:\n" + text);
            }
            return segments.get(segments.size() - 1);
        }
    }

    /** GET with a timeout; any status is returned so tests can check status codes and headers. */
    public static HttpResponse<byte[]> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + uri, e);
        }
    }

    /** GET that must answer 200. */
    public static byte[] download(URI uri) {
        HttpResponse<byte[]> r = get(uri);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + r.statusCode());
        }
        return r.body();
    }

    public static Playlist fetchPlaylist(URI uri) {
        return parse(uri, new String(download(uri), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses a media playlist; segment URIs are resolved against {@code base}. */
    public static Playlist parse(URI base, String text) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].strip().equals("#EXTM3U")) {
            throw new IllegalArgumentException("not an HLS playlist (RFC 8216 4.3.1.1: first line must be #EXTM3U)");
        }
        double target = -1;
        long mediaSequence = 0;
        long discontinuitySequence = 0;
        boolean endList = false;
        List<Segment> segments = new ArrayList<>();
        Double duration = null;
        boolean discontinuity = false;
        String dateTime = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Double.parseDouble(value(line));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                mediaSequence = Long.parseLong(value(line));
            } else if (line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                discontinuitySequence = Long.parseLong(value(line));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                dateTime = value(line);
            } else if (line.startsWith("#EXTINF:")) {
                String v = value(line);
                int comma = v.indexOf(',');
                duration = Double.parseDouble(comma < 0 ? v : v.substring(0, comma));
            } else if (line.equals("#EXT-X-ENDLIST")) {
                endList = true;
            } else if (!line.startsWith("#")) {
                if (duration == null) {
                    throw new IllegalArgumentException("segment " + line + " has no #EXTINF before it");
                }
                segments.add(new Segment(base.resolve(line), duration, mediaSequence + segments.size(),
                        discontinuity, dateTime));
                duration = null;
                discontinuity = false;
                dateTime = null;
            }
        }
        if (target < 0) {
            throw new IllegalArgumentException("playlist lacks #EXT-X-TARGETDURATION (RFC 8216 4.3.3.1)");
        }
        return new Playlist(base, target, mediaSequence, discontinuitySequence, endList, List.copyOf(segments), text);
    }

    private static String value(String tagLine) {
        return tagLine.substring(tagLine.indexOf(':') + 1).strip();
    }

    /** A rectangle as fractions of the picture (0..1), so one region works at any resolution. */
    public record Region(double x, double y, double width, double height) {
        public static final Region FULL = new Region(0, 0, 1, 1);

        public Region {
            if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > 1.0001 || y + height > 1.0001) {
                throw new IllegalArgumentException("region must lie within the unit square");
            }
        }
    }

    /** Mean of each plane over a region, in 8-bit code values (limited range: black Y=16, neutral chroma 128). */
    public record YuvMean(double y, double u, double v) {
    }

    /** One decoded picture: its timestamp and the means of the requested regions, in request order. */
    public record Picture(long timestampMicros, int width, int height, List<YuvMean> regions) {
    }

    /** Decoded audio downmixed to mono float samples in -1..1. */
    public record Audio(int sampleRate, long startMicros, float[] samples) {
        public long durationMicros() {
            return samples.length * 1_000_000L / Math.max(1, sampleRate);
        }

        /** Root mean square level between two stream times. */
        public double rms(long fromMicros, long toMicros) {
            int from = index(fromMicros);
            int to = index(toMicros);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += samples[i] * samples[i];
            }
            return to > from ? Math.sqrt(sum / (to - from)) : 0;
        }

        /** Strength of one frequency over the whole track (Goertzel), normalised so a full-scale sine gives ~0.5. */
        public double toneLevel(double hz) {
            double w = 2 * Math.PI * hz / sampleRate;
            double coeff = 2 * Math.cos(w);
            double s1 = 0;
            double s2 = 0;
            for (float x : samples) {
                double s0 = x + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
            return samples.length == 0 ? 0 : Math.sqrt(power) / samples.length;
        }

        /**
         * Stream times where the sound becomes loud: the start of each 5 ms window whose RMS rises above
         * {@code threshold} after a quiet window.
         */
        public List<Long> onsetsMicros(double threshold) {
            int window = Math.max(1, sampleRate / 200);
            List<Long> onsets = new ArrayList<>();
            boolean loud = false;
            for (int start = 0; start + window <= samples.length; start += window) {
                double sum = 0;
                for (int i = start; i < start + window; i++) {
                    sum += samples[i] * samples[i];
                }
                boolean now = Math.sqrt(sum / window) > threshold;
                if (now && !loud) {
                    onsets.add(startMicros + start * 1_000_000L / sampleRate);
                }
                loud = now;
            }
            return onsets;
        }

        private int index(long micros) {
            long i = (micros - startMicros) * sampleRate / 1_000_000L;
            return (int) Math.max(0, Math.min(samples.length, i));
        }
    }

    /** Everything decoded from one segment or file; {@code audio} is null when there is no audio stream. */
    public record Media(List<Picture> pictures, Audio audio) {
    }

    /**
     * Decodes a segment (MPEG-TS, or any container FFmpeg can probe from memory) and measures each picture in the
     * given regions (the whole picture when none are given).
     */
    public static Media decode(byte[] segment, Region... regions) {
        Objects.requireNonNull(segment, "segment");
        List<Region> wanted = regions.length == 0 ? List.of(Region.FULL) : List.of(regions);
        List<Picture> pictures = new ArrayList<>();
        FloatCollector audio = new FloatCollector();
        int sampleRate = 0;
        long audioStart = Long.MIN_VALUE;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(segment),
                segment.length)) {
            if (segment.length > 0 && segment[0] == 0x47) {
                grabber.setFormat("mpegts");
            }
            grabber.setPixelFormat(AV_PIX_FMT_YUV420P);
            grabber.setSampleFormat(AV_SAMPLE_FMT_FLT);
            grabber.setAudioChannels(1);
            grabber.start();
            Frame frame;
            while ((frame = grabber.grabFrame(true, true, true, false)) != null) {
                if (frame.image != null) {
                    pictures.add(measure(frame, wanted));
                } else if (frame.samples != null) {
                    if (audioStart == Long.MIN_VALUE) {
                        audioStart = frame.timestamp;
                        sampleRate = frame.sampleRate;
                    }
                    audio.add((FloatBuffer) frame.samples[0]);
                }
            }
            grabber.stop();
        } catch (IOException e) {
            throw new IllegalStateException("cannot decode the segment (" + segment.length + " bytes): "
                    + e.getMessage(), e);
        }
        Audio a = audioStart == Long.MIN_VALUE ? null : new Audio(sampleRate, audioStart, audio.toArray());
        return new Media(List.copyOf(pictures), a);
    }

    /**
     * Reads the planes from the decoder's AVFrame (JavaCV keeps it in {@code Frame.opaque}); its line sizes are
     * authoritative, whereas the layout of {@code Frame.image} depends on whether JavaCV had to convert.
     */
    private static Picture measure(Frame frame, List<Region> regions) {
        if (!(frame.opaque instanceof AVFrame av) || av.format() != AV_PIX_FMT_YUV420P) {
            throw new IllegalStateException("expected a YUV420P AVFrame from the decoder, got " + frame.opaque);
        }
        int w = av.width();
        int h = av.height();
        ByteBuffer[] planes = new ByteBuffer[3];
        for (int p = 0; p < 3; p++) {
            int rows = p == 0 ? h : (h + 1) / 2;
            planes[p] = av.data(p).capacity((long) av.linesize(p) * rows).asByteBuffer();
        }
        List<YuvMean> means = new ArrayList<>(regions.size());
        for (Region r : regions) {
            int x0 = (int) Math.floor(r.x() * w);
            int y0 = (int) Math.floor(r.y() * h);
            int x1 = Math.max(x0 + 2, Math.min(w, (int) Math.round((r.x() + r.width()) * w)));
            int y1 = Math.max(y0 + 2, Math.min(h, (int) Math.round((r.y() + r.height()) * h)));
            means.add(new YuvMean(mean(planes[0], av.linesize(0), x0, y0, x1, y1),
                    mean(planes[1], av.linesize(1), x0 / 2, y0 / 2, x1 / 2, y1 / 2),
                    mean(planes[2], av.linesize(2), x0 / 2, y0 / 2, x1 / 2, y1 / 2)));
        }
        return new Picture(frame.timestamp, w, h, List.copyOf(means));
    }

    private static double mean(ByteBuffer buf, int stride, int x0, int y0, int x1, int y1) {
        long sum = 0;
        for (int y = y0; y < y1; y++) {
            int row = y * stride;
            for (int x = x0; x < x1; x++) {
                sum += buf.get(row + x) & 0xFF;
            }
        }
        return (double) sum / ((long) (x1 - x0) * (y1 - y0));
    }

    /** A growable float array. */
    private static final class FloatCollector {
        private float[] data = new float[48_000];
        private int size;

        void add(FloatBuffer samples) {
            FloatBuffer b = samples.duplicate();
            b.rewind();
            int n = b.remaining();
            if (size + n > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, size + n));
            }
            b.get(data, size, n);
            size += n;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
