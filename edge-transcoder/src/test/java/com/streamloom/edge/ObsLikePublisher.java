package com.streamloom.edge;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real librtmp client that publishes the way OBS Studio's RTMP output does ({@code src/test/c/obs_like_publisher.c};
 * its header comment lists what it copies from OBS): compiled with gcc against the system's librtmp on first use,
 * started as a child process. Closing it sends SIGTERM, which the program treats as OBS's "Stop Streaming"
 * (FCUnpublish, deleteStream, close); SIGKILL follows only if it hangs.
 */
final class ObsLikePublisher implements AutoCloseable {
    /** Exit codes of the C program. */
    static final int EXIT_OK = 0;
    static final int EXIT_PUBLISH_REFUSED = 5;
    static final int EXIT_SERVER_CLOSED = 6;

    private static final Path SOURCE = Path.of("src", "test", "c", "obs_like_publisher.c");
    private static final Path BUILD_DIR = Path.of("target", "obs-like-publisher");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static Path binary;

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ObsLikePublisher(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Compiles the client once per JVM. Skips the calling test (JUnit assumption) when gcc or librtmp's headers
     * are missing; any other compile error fails it.
     */
    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        Assumptions.assumeTrue(onPath("gcc"), "needs gcc to build the librtmp client (apt-get install gcc)");
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/include/librtmp/rtmp.h")),
                "needs librtmp's headers for the OBS-like client (apt-get install librtmp-dev)");
        try {
            Files.createDirectories(BUILD_DIR);
            Path out = BUILD_DIR.resolve("obs_like_publisher");
            Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", out.toString(), SOURCE.toString(),
                    "-lrtmp").redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IllegalStateException("gcc could not build " + SOURCE + ":\n" + log);
            }
            binary = out;
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Publishes {@code flv} to {@code serverUrl} (OBS's "Server", e.g. rtmp://host:1935/live) with {@code key}
     * (OBS's "Stream Key"), in real time, until the file ends or {@link #stop}.
     */
    static ObsLikePublisher start(String serverUrl, String key, Path flv) {
        Path exe = binary();
        int run = RUNS.incrementAndGet();
        Path out = BUILD_DIR.resolve("run-" + ProcessHandle.current().pid() + "-" + run + ".out");
        Path err = BUILD_DIR.resolve("run-" + ProcessHandle.current().pid() + "-" + run + ".err");
        List<String> cmd = List.of(exe.toAbsolutePath().toString(), serverUrl, key, flv.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new ObsLikePublisher(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + exe, e);
        }
    }

    boolean isRunning() {
        return process.isAlive();
    }

    /** Waits for the program to end by itself; null if it is still running after {@code timeout}. */
    Integer awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** "Stop Streaming": SIGTERM, then the exit code of the program's orderly close. */
    int stop(Duration timeout) {
        process.destroy();
        Integer code = awaitExit(timeout);
        if (code == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the OBS-like client did not close within " + timeout + "\n" + log());
        }
        return code;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Both outputs, for assertion messages. */
    String log() {
        return "stdout:\n" + stdout() + "stderr:\n" + stderr();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (awaitExit(Duration.ofSeconds(5)) == null) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(2));
            }
        }
    }
}
