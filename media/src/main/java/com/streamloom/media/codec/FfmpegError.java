package com.streamloom.media.codec;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_UNKNOWN;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg return codes in words: the one place a negative AVERROR becomes a message. */
public final class FfmpegError {
    /** AVERROR(EAGAIN) on Linux: the codec wants the other call (send vs receive) first. */
    public static final int EAGAIN = -11;

    private FfmpegError() {
    }

    /**
     * The code's text and the code, e.g. {@code "Connection refused (-111)"}. AVERROR_UNKNOWN, which FFmpeg returns
     * when the reason was only logged (an RTMP server's refusal, for one), says so instead of "Unknown error
     * occurred": the reason is in the log lines of that call ({@link FfmpegLog}).
     */
    public static String text(int code) {
        if (code == AVERROR_UNKNOWN) {
            return "failed without an error code, see the FFmpeg log (" + code + ")";
        }
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
    }

    /** Returns {@code code}, or throws a {@link CodecException} naming {@code what} if it is an FFmpeg error. */
    public static int check(int code, String what) {
        if (code < 0) {
            throw new CodecException(what + " failed: " + text(code));
        }
        return code;
    }
}
