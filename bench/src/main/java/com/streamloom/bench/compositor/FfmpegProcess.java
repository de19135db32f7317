package com.streamloom.bench.compositor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the ffmpeg program JavaCV ships (generating the benchmark's inputs, and the xstack side of it). */
final class FfmpegProcess {
    private FfmpegProcess() {
    }

    /** Runs {@code cmd} to its end and returns its output (stdout and stderr); a non-zero exit throws. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("ffmpeg did not finish: " + String.join(" ", cmd));
            }
        } finally {
            p.destroyForcibly();
        }
        String log = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg failed (" + p.exitValue() + "): " + log);
        }
        return log;
    }
}
