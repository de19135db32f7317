package com.streamloom.media.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real RTSP camera for tests: GStreamer's RTSP server (Debian's gir1.2-gst-rtsp-server-1.0, run by
 * {@code /usr/bin/python3} with python3-gi) serving a live 320x240 H.264 test pattern, optionally with an AAC sine
 * tone, on {@code rtsp://127.0.0.1:<port>/cam}.
 *
 * <p>{@link #stop()} makes the camera go away (the process ends, its connections drop); {@link #start()} brings it
 * back on the same port and mount, as a rebooted camera would. A machine without GStreamer's RTSP server fails the
 * test with the Debian packages to install: a camera test never silently skips.
 *
 * <pre>{@code
 * try (RtspCamera camera = RtspCamera.builder().audioHz(1000).start()) {
 *     String url = camera.url();
 * }
 * }</pre>
 */
public final class RtspCamera implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String PACKAGES = "python3-gi python3-gst-1.0 gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp "
            + "gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Builder config;
    private final int port;
    private Process process;

    private RtspCamera(Builder config) {
        this.config = config;
        this.port = config.port > 0 ? config.port : Ports.free();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int port;
        private String mount = "/cam";
        private int width = 320;
        private int height = 240;
        private int fps = 30;
        private String pattern = "smpte";
        private double audioHz;

        private Builder() {
        }

        /** Fixed port; by default a free one is chosen. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder mount(String mount) {
            if (!mount.startsWith("/")) {
                throw new IllegalArgumentException("mount must start with /");
            }
            this.mount = mount;
            return this;
        }

        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder fps(int fps) {
            this.fps = fps;
            return this;
        }

        /** A videotestsrc pattern: smpte, ball, red, green, blue, white, black, ... */
        public Builder pattern(String pattern) {
            this.pattern = pattern;
            return this;
        }

        /** Adds an AAC audio track carrying a sine tone of this frequency (0 = video only, the default). */
        public Builder audioHz(double hz) {
            this.audioHz = hz;
            return this;
        }

        /** Creates the camera and starts it. */
        public RtspCamera start() {
            RtspCamera camera = new RtspCamera(this);
            camera.start();
            return camera;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + config.mount;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the camera (again) and returns once it accepts RTSP connections. */
    public synchronized RtspCamera start() {
        if (isRunning()) {
            return this;
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new IllegalStateException(PYTHON + " is missing; install the Debian packages python3 " + PACKAGES);
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script().toString(), "--port", Integer.toString(port),
                "--mount", config.mount, "--width", Integer.toString(config.width), "--height",
                Integer.toString(config.height), "--fps", Integer.toString(config.fps), "--pattern", config.pattern,
                "--audio-hz", Double.toString(config.audioHz)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("PYTHONPATH"); // a pyenv PYTHONPATH would hide Debian's gi module
        try {
            process = ChildProcesses.track(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the RTSP camera: " + String.join(" ", cmd), e);
        }
        awaitReady(process);
        return this;
    }

    /** Waits for the script's READY line; its other output is drained so the pipe never fills. */
    private void awaitReady(Process p) {
        StringBuilder log = new StringBuilder();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        if (log.length() < 64 * 1024) {
                            log.append(line).append('\n');
                        }
                    }
                    if (line.startsWith("READY") || line.startsWith("MISSING") || line.startsWith("FAILED")) {
                        ready.complete(line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            ready.complete("EXITED");
        }, "rtsp-camera-" + port);
        reader.setDaemon(true);
        reader.start();
        String line;
        try {
            line = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            line = "TIMEOUT";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = "INTERRUPTED";
        } catch (ExecutionException e) {
            line = "EXITED";
        }
        if (line.startsWith("READY")) {
            return;
        }
        destroy(p);
        String output;
        synchronized (log) {
            output = log.toString();
        }
        if (line.startsWith("MISSING")) {
            throw new IllegalStateException("GStreamer RTSP camera cannot run: " + line.substring(8)
                    + " (all camera packages: " + PACKAGES + ")");
        }
        throw new IllegalStateException("the RTSP camera on port " + port + " did not start (" + line
                + "); it needs the Debian packages " + PACKAGES + ". Output:\n" + output);
    }

    /** The camera goes away: the server process ends and every client connection drops. */
    public synchronized void stop() {
        if (process != null) {
            destroy(process);
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void destroy(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The script is a classpath resource (possibly inside the media test-jar), so it is copied to a file once. */
    private static synchronized Path script() {
        if (scriptFile != null && Files.exists(scriptFile)) {
            return scriptFile;
        }
        try (InputStream in = RtspCamera.class.getResourceAsStream("/rtsp_camera.py")) {
            if (in == null) {
                throw new IllegalStateException("rtsp_camera.py is not on the test classpath");
            }
            Path file = Files.createTempFile("rtsp_camera", ".py");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            scriptFile = file;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rtsp_camera.py to a temporary file", e);
        }
    }

    private static Path scriptFile;
}
