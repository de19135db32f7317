package com.streamloom.media.testing;

import org.bytedeco.javacpp.Loader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ffmpeg and ffprobe programs that JavaCV ships (the same FFmpeg build as the libraries), run as child
 * processes. A running process is {@link AutoCloseable}: closing it ends the whole process tree, so a failed test
 * never leaves an encoder behind.
 *
 * <pre>{@code
 * FfmpegCli.Result r = FfmpegCli.run(Duration.ofSeconds(20), "-f", "lavfi", "-i", "testsrc2", "-t", "1", "out.mp4");
 * r.requireSuccess();
 * try (FfmpegCli server = FfmpegCli.start("-re", ..., "-f", "flv", "-listen", "1", "rtmp://127.0.0.1:1935/a/b")) {
 *     ...
 * }
 * }</pre>
 */
public final class FfmpegCli implements AutoCloseable {
    private static final int STDERR_KEEP = 256 * 1024;
    private static final int STDOUT_KEEP = 64 * 1024 * 1024;

    private final Process process;
    private final List<String> command;
    private final Capture stdout;
    private final Capture stderr;

    private FfmpegCli(List<String> command) {
        this.command = List.copyOf(command);
        try {
            this.process = ChildProcesses.track(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        try {
            process.getOutputStream().close(); // no stdin: ffmpeg must never wait for keyboard input
        } catch (IOException ignored) {
            // the process may already have exited; its exit code tells
        }
        this.stdout = new Capture(process.getInputStream(), STDOUT_KEEP, false, "ffmpeg-stdout");
        this.stderr = new Capture(process.getErrorStream(), STDERR_KEEP, true, "ffmpeg-stderr");
    }

    /** Path of JavaCV's ffmpeg program (extracted from the natives jar on first use). */
    public static Path ffmpegPath() {
        return load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    /** Path of JavaCV's ffprobe program. */
    public static Path ffprobePath() {
        return load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    private static Path load(Class<?> program) {
        try {
            return Path.of(Loader.load(program));
        } catch (Throwable t) {
            throw new IllegalStateException("cannot extract " + program.getSimpleName()
                    + " from the org.bytedeco:ffmpeg natives jar", t);
        }
    }

    /** Starts ffmpeg with {@code -hide_banner -nostdin} and the given arguments. */
    public static FfmpegCli start(String... args) {
        return start(List.of(args));
    }

    public static FfmpegCli start(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ffmpegPath().toString());
        cmd.add("-hide_banner");
        cmd.add("-nostdin");
        cmd.addAll(args);
        return new FfmpegCli(cmd);
    }

    /** Starts ffprobe with {@code -hide_banner} and the given arguments. */
    public static FfmpegCli startProbe(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ffprobePath().toString());
        cmd.add("-hide_banner");
        cmd.addAll(List.of(args));
        return new FfmpegCli(cmd);
    }

    /** Runs ffmpeg to completion; a run longer than {@code timeout} is killed and reported as an exception. */
    public static Result run(Duration timeout, String... args) {
        try (FfmpegCli p = start(args)) {
            return p.awaitResult(timeout);
        }
    }

    /** Runs ffprobe to completion (see {@link #run}). */
    public static Result probe(Duration timeout, String... args) {
        try (FfmpegCli p = startProbe(args)) {
            return p.awaitResult(timeout);
        }
    }

    /** Waits for the process to exit; kills it and throws if it takes longer than {@code timeout}. */
    public Result awaitResult(Duration timeout) {
        if (!waitFor(timeout)) {
            close();
            throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms: " + commandLine()
                    + "\n" + stderr());
        }
        stdout.join();
        stderr.join();
        return new Result(process.exitValue(), stdout.bytes(), stderr());
    }

    /** True if the process exited within {@code timeout}. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The last 256 KB of standard error (ffmpeg's log). */
    public String stderr() {
        return new String(stderr.bytes(), StandardCharsets.UTF_8);
    }

    public String commandLine() {
        return String.join(" ", command);
    }

    /**
     * Ends the process tree: SIGTERM first (ffmpeg then finishes its output files), SIGKILL after two seconds.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            process.destroy();
            if (!waitFor(Duration.ofSeconds(2))) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(2));
            }
        }
        stdout.join();
        stderr.join();
    }

    /** Exit code and output of a finished run. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException("ffmpeg exited with " + exitCode + ":\n" + stderr);
            }
            return this;
        }
    }

    /** Drains a stream on its own thread so the child never blocks on a full pipe; keeps a bounded copy. */
    private static final class Capture {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int limit;
        private final boolean keepTail;
        private final Thread thread;

        Capture(InputStream in, int limit, boolean keepTail, String name) {
            this.limit = limit;
            this.keepTail = keepTail;
            this.thread = new Thread(() -> drain(in), name);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void drain(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) > 0) {
                    synchronized (buffer) {
                        if (buffer.size() + n > limit) {
                            if (!keepTail) {
                                continue; // keep the head of stdout, drop the rest
                            }
                            byte[] all = buffer.toByteArray();
                            buffer.reset();
                            int keep = Math.max(0, limit / 2 - n);
                            buffer.write(all, all.length - Math.min(keep, all.length), Math.min(keep, all.length));
                        }
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        }

        byte[] bytes() {
            synchronized (buffer) {
                return buffer.toByteArray();
            }
        }

        void join() {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
