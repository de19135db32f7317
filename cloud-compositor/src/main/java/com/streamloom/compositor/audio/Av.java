package com.streamloom.compositor.audio;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Small helpers for FFmpeg return codes. */
final class Av {
    /** AVERROR(EAGAIN) on Linux: the codec wants more input (or output drained) before it can go on. */
    static final int EAGAIN = -11;

    private Av() {
    }

    static String error(int code) {
        byte[] buf = new byte[128];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n) + " (" + code + ")";
    }

    static int check(int code, String what) {
        if (code < 0) throw new IllegalStateException(what + " failed: " + error(code));
        return code;
    }
}
